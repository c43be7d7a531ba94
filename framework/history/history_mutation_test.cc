// history.jsonl under mutation: a sim run's history with values swapped for
// edge integers, other types and names, with lines dropped, repeated and
// swapped, is either read and checked by every property (no crash, no
// overflow: the sanitizer build is the judge of that) or refused with an
// error naming the file and the line. Seeded and bounded, so a failure
// replays.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "framework/base/test_dir.h"
#include "framework/check/property.h"
#include "framework/history/history_jsonl.h"
#include "framework/run/runner.h"
#include "framework/run/shipped_scenarios.h"

namespace ordeal {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Replaces one value (after a key's colon, up to the next comma or brace)
// with one a file might hold: an edge integer, another event type or name,
// a value of another JSON type.
void replace_value(std::string& line, std::mt19937_64& rng) {
  static const char* const kValues[] = {"-1",
                                        "0",
                                        "1",
                                        "4294967294",
                                        "4294967295",
                                        "2147483648",
                                        "4611686018427387904",
                                        "9223372036854775807",
                                        "-9223372036854775808",
                                        "\"invoke\"",
                                        "\"ok\"",
                                        "\"fail\"",
                                        "\"info\"",
                                        "\"fill\"",
                                        "\"read\"",
                                        "\"meta\"",
                                        "\"fault_stop\"",
                                        "\"place\"",
                                        "\"amend\"",
                                        "\"cancel\"",
                                        "\"mass-cancel\"",
                                        "\"filled\"",
                                        "\"none\"",
                                        "\"c1-1\"",
                                        "\"\"",
                                        "true",
                                        "null",
                                        "[]",
                                        "{}",
                                        "1.5",
                                        "\"\\u00e9\""};
  size_t colon = line.find("\":", static_cast<size_t>(rng() % (line.size() + 1)));
  if (colon == std::string::npos) colon = line.find("\":");
  if (colon == std::string::npos) return;
  const size_t start = colon + 2;
  if (line[start] == '{') return;  // a record: its own keys are reached directly
  size_t end = start;
  while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
  line.replace(start, end - start, kValues[rng() % std::size(kValues)]);
}

std::string mutate(std::vector<std::string> lines, std::mt19937_64& rng) {
  for (int n = 1 + static_cast<int>(rng() % 4); n > 0 && !lines.empty(); --n) {
    const size_t i = rng() % lines.size(), j = rng() % lines.size();
    switch (rng() % 5) {
      case 0:
        lines.insert(lines.begin() + static_cast<ptrdiff_t>(j), lines[i]);
        break;
      case 1:
        lines.erase(lines.begin() + static_cast<ptrdiff_t>(i));
        break;
      case 2:
        std::swap(lines[i], lines[j]);
        break;
      default:
        replace_value(lines[i], rng);
    }
  }
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(HistoryMutation, MutatedHistoriesAreCheckedOrRefusedWithFileAndLine) {
  const Scenario s = shipped("okx-2023-08-14");
  const RunOutcome run = run_scenario(s, {.seed = 3,
                                          .cases = 3,
                                          .defects = *exchange::DefectSet::parse("okx-2023-08-14"),
                                          .shrink = false});
  const std::vector<std::string> lines = lines_of(render(run.history));
  ASSERT_GT(lines.size(), 50u);
  const TestDir dir("history-mutation");
  std::filesystem::create_directories(dir.path);
  const std::string path = (dir.path / "history.jsonl").string();
  std::mt19937_64 rng(20261127);
  int checked = 0;
  for (int round = 0; round < 300; ++round) {
    std::ofstream(path) << mutate(lines, rng);
    const HistoryLoad loaded = read_history_jsonl(path);
    if (!loaded) {
      EXPECT_EQ(loaded.error.rfind(path + ":", 0), 0u) << "round " << round << ": " << loaded.error;
      continue;
    }
    ++checked;
    check_history(loaded.history, {}, s.limits);
  }
  // Some mutations leave a valid file that reaches the properties (21 of
  // the 300 with this seed; a repeated or swapped request line is refused
  // as an op linked twice or answered before it was sent).
  EXPECT_GT(checked, 15);
}

}  // namespace
}  // namespace ordeal
