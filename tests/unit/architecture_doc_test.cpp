// docs/architecture.md stays true: every file and folder it names exists, every test it names is a test of
// this binary, and each command folder holds the files the doc says a command is made of.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "source_tree.h"

namespace railcheck {
namespace {

namespace fs = std::filesystem;

std::string read_doc() {
  std::ifstream file(test::source_path("docs/architecture.md"));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The `inline code` spans of the doc's prose; fenced blocks (the diagram) are dropped first, since their
// triple backticks would pair the rest of the doc's backticks the wrong way round.
std::vector<std::string> backticked(const std::string& doc) {
  std::string text;
  std::stringstream lines(doc);
  bool fenced = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) text += line + "\n";
  }
  std::vector<std::string> out;
  const std::regex code("`([^`]+)`");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// "a/{b,c}/d" -> "a/b/d", "a/c/d".
std::vector<std::string> expand_braces(const std::string& path) {
  const auto open = path.find('{');
  if (open == std::string::npos) return {path};
  const auto close = path.find('}', open);
  std::vector<std::string> out;
  std::stringstream choices(path.substr(open + 1, close - open - 1));
  for (std::string choice; std::getline(choices, choice, ',');) {
    for (std::string rest : expand_braces(path.substr(close + 1))) out.push_back(path.substr(0, open) + choice + rest);
  }
  return out;
}

TEST(ArchitectureDoc, EveryPathItNamesExists) {
  const std::set<std::string> roots = {"harness/", "collectives/", "kernels/", "tests/", "results-schema/", "docs/"};
  int checked = 0;
  for (std::string token : backticked(read_doc())) {
    token = token.substr(0, token.find(' '));  // "x.h (new)" and the like
    if (std::none_of(roots.begin(), roots.end(), [&](const std::string& root) { return token.rfind(root, 0) == 0; })) {
      continue;
    }
    for (std::string path : expand_braces(token)) {
      // A placeholder (<name>, <kind>, <format>) names a file to create: its folder must exist.
      if (const auto placeholder = path.find('<'); placeholder != std::string::npos) {
        path = path.substr(0, path.rfind('/', placeholder) + 1);
      }
      EXPECT_TRUE(fs::exists(test::source_path(path)))
          << "docs/architecture.md names " << token << ": " << path << " does not exist";
      ++checked;
    }
  }
  EXPECT_GT(checked, 30) << "the doc's paths were not found; did its format change?";
}

TEST(ArchitectureDoc, EveryTestItNamesIsATestOfThisBinary) {
  const std::regex test_name("^([A-Z][A-Za-z]+)\\.([A-Z][A-Za-z]+)$");
  std::set<std::string> named;
  for (const std::string& token : backticked(read_doc())) {
    if (std::regex_match(token, test_name)) named.insert(token);
  }
  ASSERT_GE(named.size(), 3u);
  std::set<std::string> registered;
  const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const testing::TestSuite* suite = unit.GetTestSuite(i);
    for (int j = 0; j < suite->total_test_count(); ++j) {
      registered.insert(std::string(suite->name()) + "." + suite->GetTestInfo(j)->name());
    }
  }
  for (const std::string& name : named) EXPECT_TRUE(registered.count(name)) << "docs/architecture.md names " << name;
}

// The recipe sections ("## A new ..."): the "N new files and M edits" line and the files of its table.
struct Recipe {
  std::string title;
  int said_new = -1, said_edits = -1;
  std::vector<std::string> new_files, edited_files;
};

std::vector<Recipe> recipes() {
  std::vector<Recipe> out;
  std::stringstream doc(read_doc());
  const std::regex counts("(\\d+) new files? and (\\d+) edits?");
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) {
      out.emplace_back();
      out.back().title = line;
      continue;
    }
    if (out.empty() || out.back().title.rfind("## A new ", 0) != 0) continue;
    std::smatch m;
    if (out.back().said_new < 0 && std::regex_search(line, m, counts)) {
      out.back().said_new = std::stoi(m[1]);
      out.back().said_edits = std::stoi(m[2]);
    }
    if (line.rfind("| `", 0) != 0) continue;
    const std::string file_cell = line.substr(0, line.find('|', 2));
    const bool created = file_cell.find("(new)") != std::string::npos;
    for (const std::string& path : backticked(file_cell)) {
      (created ? out.back().new_files : out.back().edited_files).push_back(path);
    }
  }
  std::erase_if(out, [](const Recipe& r) { return r.title.rfind("## A new ", 0) != 0; });
  return out;
}

TEST(ArchitectureDoc, EachRecipesCountsAreTheFilesOfItsTable) {
  const std::vector<Recipe> all = recipes();
  ASSERT_EQ(all.size(), 3u) << "a new test kind, a new output format, a new subcommand";
  for (const Recipe& r : all) {
    EXPECT_EQ(r.said_new, static_cast<int>(r.new_files.size())) << r.title;
    EXPECT_EQ(r.said_edits, static_cast<int>(r.edited_files.size())) << r.title;
  }
}

// The code as it stands: each record kind's struct is named in exactly the recipe's files (with <kind>
// filled in), plus, for the kinds with a big console table, one console_<table>.cpp helper, and the formats of
// collective records only (nccl-tests' JSON). A file that
// starts to switch on record kinds without being in the recipe fails here.
TEST(ArchitectureDoc, EachRecordKindIsNamedInExactlyTheFilesOfTheTestKindRecipe) {
  const std::vector<Recipe> all = recipes();
  const auto recipe = std::find_if(all.begin(), all.end(),
                                   [](const Recipe& r) { return r.title.find("test kind") != std::string::npos; });
  ASSERT_NE(recipe, all.end());
  const std::vector<std::string> searched = {"harness/include/railcheck/record", "harness/src/record",
                                             "harness/include/railcheck/output", "harness/src/output"};
  const std::vector<std::pair<std::string, std::string>> kinds = {{"collective", "CollectiveRecord"},
                                                                  {"p2p", "P2pRecord"},
                                                                  {"gpu_check", "GpuCheckRecord"},
                                                                  {"bisection", "BisectionRecord"}};
  for (const auto& [kind, type] : kinds) {
    std::set<std::string> expected;
    for (std::string path : recipe->new_files) {
      path.replace(path.find("<kind>"), 6, kind);
      expected.insert(path);
    }
    for (const std::string& path : recipe->edited_files) {
      for (const std::string& folder : searched) {
        if (path.rfind(folder + "/", 0) == 0) expected.insert(path);
      }
    }
    std::set<std::string> naming;
    const std::regex word("\\b" + type + "\\b");
    for (const std::string& folder : searched) {
      for (const auto& entry : fs::directory_iterator(test::source_path(folder))) {
        std::ifstream file(entry.path());
        std::stringstream text;
        text << file.rdbuf();
        const std::string relative = folder + "/" + entry.path().filename().string();
        const bool console_helper =
            relative.rfind("harness/src/output/console_", 0) == 0 && relative != "harness/src/output/console_sink.cpp";
        // A format of collective records only (the recipe's note): a new kind leaves it alone.
        const bool collective_only_format =
            kind == "collective" && (relative.find("/nccl_tests_json_sink.") != std::string::npos ||
                                     relative.find("/placement_rows.") != std::string::npos);
        if (!console_helper && !collective_only_format && std::regex_search(text.str(), word)) naming.insert(relative);
      }
    }
    // record_kinds.h lists kinds by name, not by type: it is in the recipe but names no struct.
    expected.erase("harness/include/railcheck/record/record_kinds.h");
    EXPECT_EQ(naming, expected) << type;
  }
}

TEST(ArchitectureDoc, EachCommandIsOneSourceFolderAndOneHeaderFolder) {
  std::set<std::string> sources, headers;
  for (const auto& entry : fs::directory_iterator(test::source_path("harness/src/commands"))) {
    if (entry.is_directory()) sources.insert(entry.path().filename());
  }
  for (const auto& entry : fs::directory_iterator(test::source_path("harness/include/railcheck/commands"))) {
    if (entry.is_directory()) headers.insert(entry.path().filename());
  }
  EXPECT_EQ(sources, headers);
  for (const std::string& name : sources) {
    EXPECT_TRUE(fs::exists(test::source_path("harness/src/commands/" + name + "/" + name + "_command.cpp"))) << name;
    EXPECT_TRUE(fs::exists(test::source_path("harness/include/railcheck/commands/" + name + "/" + name + "_command.h")))
        << name;
  }
  // Nothing command-specific outside the folders: harness/src/commands holds folders only.
  for (const auto& entry : fs::directory_iterator(test::source_path("harness/src/commands"))) {
    EXPECT_TRUE(entry.is_directory()) << entry.path() << " sits outside a command folder";
  }
}

}  // namespace
}  // namespace railcheck
