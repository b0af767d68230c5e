// nccl-tests prints a size's out-of-place and in-place results on one row; collective records arrive one
// placement at a time, out-of-place first. PlacementRows pairs them for every sink that prints such rows
// (the console table, nccl-tests' JSON).
#pragma once

#include <functional>
#include <optional>

#include "railcheck/record/collective_record.h"

namespace railcheck {

class PlacementRows {
 public:
  /// Called once per row; either half may be null (a test run with one placement), never both.
  using RowFn = std::function<void(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place)>;
  explicit PlacementRows(RowFn row) : row_(std::move(row)) {}

  /// An out-of-place record waits for its in-place half (same test, same size); an in-place record completes
  /// the waiting row or makes a row of its own. Anything else waiting is emitted first, so rows keep order.
  void add(const CollectiveRecord& record);
  /// Emits a waiting out-of-place record as a row of its own (at a test's end, before a note).
  void flush();

 private:
  RowFn row_;
  std::optional<CollectiveRecord> pending_;
};

}  // namespace railcheck
