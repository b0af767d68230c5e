// The fabric fixtures the fabric unit tests share (tests/fixtures/fabric): a file's text, and the namespace
// testbed's fabric (3 leaves of 2 hosts, 2 spines) routed destination-mod-k.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/topology_file.h"
#include "source_tree.h"

namespace railcheck::test {

/// tests/fixtures/fabric/<name>, whole; a test fails when it is missing or empty.
inline std::string fabric_fixture(const std::string& name) {
  std::ifstream file(source_path("tests/fixtures/fabric/" + name));
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

/// tests/fixtures/fabric/testbed.topo as `railcheck run --topology` reads it.
inline fabric::DmodkTwoTierFabric testbed_fabric() {
  return fabric::DmodkTwoTierFabric(fabric::parse_topology(fabric_fixture("testbed.topo"), "testbed.topo"),
                                    "testbed.topo");
}

}  // namespace railcheck::test
