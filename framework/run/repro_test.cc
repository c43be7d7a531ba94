// repro.toml on bad input: every field out of its range, of the wrong type or
// of the wrong shape is an error naming the file, the line and the field,
// never a crash, an exception or a value wrapped onto another; and a seeded,
// bounded mutation of a valid file never gets past the reader unchecked.
#include "framework/run/repro.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "framework/base/test_dir.h"
#include "framework/run/shipped_scenarios.h"

namespace ordeal {
namespace {

// One client with a place and a cancel, a metadata change and a window of
// the scenario's first fault: every kind of entry a repro holds.
Repro sample_repro(const Scenario& s) {
  Case c;
  c.seed = 105293;
  c.clients = {{Op{.price_steps = -2, .lots = 3, .at_ms = 88},
                Op{.kind = exchange::RequestKind::cancel, .at_ms = 250}}};
  c.metadata = {MetaChange{.at_ms = 90, .symbol = 1, .kind = MetaChangeKind::band, .value = 4}};
  c.faults = {FaultWindow{.fault = 0, .start_ms = 13, .duration_ms = 76},
              FaultWindow{.fault = 1,
                          .start_ms = 500,
                          .duration_ms = 20,
                          .pins = {{.check = 3, .as = 3}, {.check = 8, .as = 11}}}};
  return Repro{.scenario_path = s.path, .target = "inproc", .run_seed = 2, .c = c};
}

struct ReproFile : TestDir {
  ReproFile() : TestDir("repro") { std::filesystem::create_directories(path); }
  std::string file() const { return (path / "repro.toml").string(); }

  // The error of loading `text` (the repro, then its case), or "".
  std::string error_of(const std::string& text) {
    std::ofstream(file()) << text;
    const ReproLoad loaded = load_repro(file());
    if (!loaded) return loaded.error;
    Case c;
    return load_repro_case(file(), scenario, c);
  }
  // The sample repro with `from` replaced by `to` (which must be there).
  std::string error_with(const std::string& from, const std::string& to) {
    std::string text = repro_toml(sample_repro(scenario), scenario, file());
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return "";
    return error_of(text.replace(at, from.size(), to));
  }
  // The error with the file's path cut off the front.
  std::string short_error_with(const std::string& from, const std::string& to) {
    const std::string error = error_with(from, to);
    return error.rfind(file(), 0) == 0 ? error.substr(file().size()) : "path missing: " + error;
  }

  const Scenario scenario = shipped("okx-2023-08-14");
};

TEST(Repro, SampleRoundTrips) {
  ReproFile f;
  const Repro repro = sample_repro(f.scenario);
  std::ofstream(f.file()) << repro_toml(repro, f.scenario, f.file());
  const ReproLoad loaded = load_repro(f.file());
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(loaded.repro.run_seed, 2u);
  Case c;
  ASSERT_EQ(load_repro_case(f.file(), f.scenario, c), "");
  EXPECT_EQ(c, repro.c);
}

// Changes the current folder for one test, and back.
struct InFolder {
  explicit InFolder(const std::filesystem::path& to) : before(std::filesystem::current_path()) {
    std::filesystem::current_path(to);
  }
  ~InFolder() { std::filesystem::current_path(before); }
  std::filesystem::path before;
};

// A scenario at `where` (relative to the folder `f` made), a copy of the
// sample's, and the sample repro naming it as given.
Repro repro_of_scenario_at(const ReproFile& f, const std::string& where) {
  std::filesystem::create_directories((f.path / where).parent_path());
  std::filesystem::copy_file(f.scenario.path, f.path / where);
  Repro repro = sample_repro(f.scenario);
  repro.scenario_path = where;
  return repro;
}

// A repro written by a run in one folder replays from any other: its
// scenario path is written from the repro's own folder, and read so.
TEST(Repro, ARelativeScenarioPathIsFromTheReprosFolder) {
  ReproFile f;
  std::string text;
  {
    const InFolder run(f.path);
    text = repro_toml(repro_of_scenario_at(f, "scenarios/s.toml"), f.scenario, "out/a/repro.toml");
  }
  EXPECT_NE(text.find("scenario = '../../scenarios/s.toml'"), std::string::npos) << text;
  std::filesystem::create_directories(f.path / "out/a");
  std::ofstream(f.path / "out/a/repro.toml") << text;
  const InFolder elsewhere(std::filesystem::temp_directory_path());
  for (const std::filesystem::path& repro :
       {f.path / "out/a/repro.toml", std::filesystem::relative(f.path / "out/a/repro.toml")}) {
    const ReproLoad loaded = load_repro(repro.string());
    ASSERT_TRUE(loaded) << loaded.error;
    EXPECT_TRUE(
        std::filesystem::equivalent(loaded.repro.scenario_path, f.path / "scenarios/s.toml"))
        << loaded.repro.scenario_path;
    EXPECT_EQ(loaded.repro.scenario_path.find(".."), std::string::npos) << "tidied";
    EXPECT_TRUE(load_scenario(loaded.repro.scenario_path)) << loaded.repro.scenario_path;
  }
}

// A path that would climb to the root reads better, and works as well, as
// it is: absolute.
TEST(Repro, AScenarioInAnotherTopFolderIsNamedByItsAbsolutePath) {
  ReproFile f;
  const InFolder run(f.path);
  const Repro repro = repro_of_scenario_at(f, "scenarios/s.toml");
  const std::string text = repro_toml(repro, f.scenario, "/proc/repro.toml");
  EXPECT_NE(text.find("scenario = '" + (f.path / "scenarios/s.toml").string() + "'"),
            std::string::npos)
      << text;
}

TEST(Repro, AnAbsoluteScenarioPathStaysAsItIs) {
  ReproFile f;
  const std::string text = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  EXPECT_NE(text.find("scenario = '" + f.scenario.path + "'"), std::string::npos) << text;
  std::ofstream(f.file()) << text;
  const InFolder elsewhere(std::filesystem::temp_directory_path());
  const ReproLoad loaded = load_repro(f.file());
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(loaded.repro.scenario_path, f.scenario.path);
}

// Files written before paths were the repro's own, and the nightly corpus's
// copies, name the scenario from the folder the run ran in.
TEST(Repro, APathNotBesideTheReproIsFromTheCurrentFolder) {
  ReproFile f;
  const Repro repro = repro_of_scenario_at(f, "scenarios/s.toml");
  std::string text = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  text.replace(text.find(f.scenario.path), f.scenario.path.size(), repro.scenario_path);
  std::filesystem::create_directories(f.path / "corpus/1");
  std::ofstream(f.path / "corpus/1/repro.toml") << text;
  const InFolder run(f.path);
  const ReproLoad loaded = load_repro("corpus/1/repro.toml");
  ASSERT_TRUE(loaded) << loaded.error;
  EXPECT_EQ(loaded.repro.scenario_path, "scenarios/s.toml");
}

TEST(Repro, AScenarioFoundNowhereIsAnErrorNamingBothPlaces) {
  ReproFile f;
  EXPECT_EQ(f.short_error_with(f.scenario.path, "gone/s.toml"),
            ":4: scenario: no file 'gone/s.toml' in this file's folder (" + f.path.string() +
                ") nor in the current folder");
}

TEST(Repro, SeedsThatAreNotDigitsAreErrorsNotExceptions) {
  ReproFile f;
  EXPECT_EQ(f.short_error_with("run_seed = '2'", "run_seed = 'abc'"),
            ":3: run_seed: expected a string of digits (a seed from 0 to 18446744073709551615)");
  EXPECT_EQ(f.short_error_with("run_seed = '2'", "run_seed = '-2'").substr(0, 13), ":3: run_seed:");
  EXPECT_EQ(f.short_error_with("run_seed = '2'", "run_seed = 2").substr(0, 13), ":3: run_seed:");
  EXPECT_EQ(f.short_error_with("seed = '105293'", "seed = '99999999999999999999'").substr(0, 15),
            ":8: case.seed: ");
  EXPECT_EQ(f.short_error_with("seed = '105293'", "seed = ''").substr(0, 15), ":8: case.seed: ");
}

TEST(Repro, OutOfRangeValuesAreErrorsNotWrapped) {
  struct Edit {
    const char* from;
    const char* to;
    const char* error;  // after the file's path
  };
  const Edit edits[] = {
      {"lots = 3", "lots = 70000",
       ":18: case.client.ops.lots: expected an integer from 1 to 32767"},
      {"at_ms = 88", "at_ms = -1",
       ":15: case.client.ops.at_ms: expected an integer from 0 to 2147483647"},
      {"symbol = 'BTC-USDT'", "symbol = 256",
       ":22: case.client.ops.symbol: expected an integer from 0 to 1"},
      {"symbol = 'BTC-USDT'", "symbol = 'SOL-USDT'",
       ":22: case.client.ops.symbol: 'SOL-USDT' is not in the scenario's workload.symbols "
       "(BTC-USDT, ETH-USDT): the scenario changed since this repro was written"},
      {"upgrade_start_ms = 0", "upgrade_start_ms = 3000000000",
       ":10: case.upgrade_start_ms: expected an integer from 0 to 2147483647"},
      {"duration_ms = 76", "duration_ms = -76",
       ":41: case.fault.duration_ms: expected an integer from 1 to 2147483647"},
      {"index = 0", "index = 256", ":43: case.fault.index: expected an integer from 0 to 255"},
      {"lots = 3", "lots = 3.0", ":18: case.client.ops.lots: expected an integer from 1 to 32767"},
      // BTC-USDT's prices are 55000 plus or minus steps of 100: 550 steps
      // below would be a price of 0 (price_grid.h).
      {"price_steps = -2", "price_steps = -550",
       ":20: case.client.ops.price_steps: expected an integer from -549 to 549"},
      {"pins = '3,8:11'", "pins = '8,3'",
       ":50: case.fault.pins: expected rising checks from 1 to 1000000, each check or check:as, "
       "as \"3,9:10,12\""},
      {"pins = '3,8:11'", "pins = 3",
       ":50: case.fault.pins: expected rising checks from 1 to 1000000, each check or check:as, "
       "as \"3,9:10,12\""},
      {"pins = '3,8:11'", "fire_at = 0",
       ":50: case.fault.fire_at: expected an integer from 1 to 1000000"},
      {"pins = '3,8:11'", "pins = '3'\n    fire_at = 3",
       ":51: case.fault.fire_at: give pins or fire_at, not both"},
  };
  ReproFile f;
  for (const Edit& edit : edits) EXPECT_EQ(f.short_error_with(edit.from, edit.to), edit.error);
}

// A repro names each symbol, so that a scenario whose symbols were reordered
// since still replays the same orders; one of an earlier version gives
// their places in workload.symbols, and reads as before.
TEST(Repro, SymbolsAreNamedAndAnEarlierVersionsPlacesStillRead) {
  ReproFile f;
  const std::string text = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  EXPECT_NE(text.find("symbol = 'ETH-USDT'"), std::string::npos) << text;
  std::ofstream(f.file()) << text;
  Case named;
  ASSERT_EQ(load_repro_case(f.file(), f.scenario, named), "");
  std::string old = text;
  for (const auto& [name, place] : {std::pair{"'BTC-USDT'", "0"}, {"'ETH-USDT'", "1"}}) {
    for (size_t at = old.find(name); at != std::string::npos; at = old.find(name)) {
      old.replace(at, std::string(name).size(), place);
    }
  }
  std::ofstream(f.file()) << old;
  Case placed;
  ASSERT_EQ(load_repro_case(f.file(), f.scenario, placed), "");
  EXPECT_EQ(placed, named);
  Scenario reordered = f.scenario;
  std::swap(reordered.symbols[0], reordered.symbols[1]);
  std::ofstream(f.file()) << text;
  Case again;
  ASSERT_EQ(load_repro_case(f.file(), reordered, again), "");
  for (size_t i = 0; i < again.clients[0].size(); ++i) {
    EXPECT_EQ(reordered.symbols[again.clients[0][i].symbol],
              f.scenario.symbols[named.clients[0][i].symbol]);
  }
}

// Repro files of earlier versions pinned a window at one check, with fire_at.
TEST(Repro, AnEarlierVersionsFireAtIsOnePin) {
  ReproFile f;
  std::string text = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  const size_t at = text.find("pins = '3,8:11'");
  ASSERT_NE(at, std::string::npos) << text;
  std::ofstream(f.file()) << text.replace(at, 15, "fire_at = 5");
  Case c;
  ASSERT_EQ(load_repro_case(f.file(), f.scenario, c), "");
  EXPECT_EQ(c.faults[1].pins, (std::vector<faults::Pin>{{.check = 5, .as = 5}}));
}

// A change's symbol indexes the scenario's symbols and its value means
// something per kind: outside them the case runner would read past its
// grids or build an impossible record.
TEST(Repro, MetadataChangesOutsideTheScenarioAreErrors) {
  ReproFile f;
  EXPECT_EQ(f.short_error_with("symbol = 'ETH-USDT'\n    value", "symbol = 7\n    value"),
            ":56: case.metadata.symbol: expected an integer from 0 to 1");
  EXPECT_EQ(f.short_error_with("value = 4", "value = 0"),
            ":57: case.metadata.value: expected an integer from 1 to 1000000");
  EXPECT_EQ(f.short_error_with("kind = 'band'\n    symbol = 'ETH-USDT'\n    value = 4",
                               "kind = 'status'\n    symbol = 'ETH-USDT'\n    value = -1"),
            ":57: case.metadata.value: expected an integer from 0 to 3");
}

// Arrays of something else than tables, and a case that is not a table.
TEST(Repro, EntriesOfTheWrongShapeAreErrors) {
  ReproFile f;
  const std::string text = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  const size_t clients = text.find("    [[case.client]]"), faults = text.find("    [[case.fault]]");
  const size_t case_keys_end = text.find("upgrade_start_ms = 0\n") + 21;  // line 11 on
  // The sample with `line` as line 11 (in [case]), and only the clients.
  auto with_clients = [&](const std::string& line) {
    return text.substr(0, case_keys_end) + line +
           text.substr(case_keys_end, faults - case_keys_end);
  };
  // ... and with no clients.
  auto without_clients = [&](const std::string& line) {
    return text.substr(0, case_keys_end) + line +
           text.substr(case_keys_end, clients - case_keys_end);
  };
  auto short_error_of = [&](const std::string& repro) {
    const std::string error = f.error_of(repro);
    return error.rfind(f.file(), 0) == 0 ? error.substr(f.file().size()) : "path missing: " + error;
  };
  EXPECT_EQ(short_error_of(with_clients("metadata = [1, 2]\n")),
            ":11: case.metadata: expected tables");
  EXPECT_EQ(short_error_of(with_clients("fault = 'x'\n")),
            ":11: case.fault: expected an array of tables");
  EXPECT_EQ(short_error_of(with_clients("fault = [{ index = 0 }, 'x']\n")),
            ":11: case.fault.start_ms: expected an integer from 0 to 2147483647");
  EXPECT_EQ(short_error_of(without_clients("client = 3\n")),
            ":11: case.client: expected an array of tables");
  EXPECT_EQ(short_error_of(without_clients("client = [3]\n")),
            ":11: case.client: needs ops = [...]");
  EXPECT_EQ(short_error_of(without_clients("")), ": case: no clients");
  EXPECT_EQ(short_error_of("case = 3\n").substr(0, 22), ":1: scenario: expected");
}

// As in a scenario file, a key the reader does not know is an error naming
// it, not a value silently left out: a misspelt `lots` would replay another
// case than the file seems to pin.
TEST(Repro, UnknownKeysAreErrorsNamingTheKey) {
  ReproFile f;
  struct Edit {
    std::string from, to, error;
  };
  const std::vector<Edit> edits = {
      {"run_seed = '2'", "run_seed = '2'\nrun_sed = '3'",
       ":4: unknown key 'run_sed' (known keys: case, defect, run_seed, scenario, target)"},
      {"seed = '105293'", "seed = '105293'\n    sede = 1",
       ":9: unknown key 'sede' in [case] (known keys: client, fault, metadata, seed, upgrade, "
       "upgrade_start_ms)"},
      {"lots = 3", "lot = 3",
       ":18: unknown key 'lot' in [case.client.ops] (known keys: at_ms, invalid, kind, lots, "
       "post_only, price_steps, side, symbol, target, tif, type)"},
      {"value = 4", "value = 4\n    valeu = 5",
       ":58: unknown key 'valeu' in [case.metadata] (known keys: at_ms, kind, symbol, value)"},
      {"duration_ms = 76", "duration_ms = 76\n    probability = 1.0",
       ":42: unknown key 'probability' in [case.fault] (known keys: duration_ms, fault, fire_at, "
       "index, pins, start_ms)"},
  };
  for (const Edit& edit : edits) EXPECT_EQ(f.short_error_with(edit.from, edit.to), edit.error);
  // A wrong type at the top names the key and its line too.
  EXPECT_EQ(f.short_error_with("defect = 'none'", "defect = 3"), ":2: defect: expected a string");
}

// Replaces a number of the text, a line or a byte with another; bounded
// and seeded, so a failure replays.
std::string mutate(std::string text, std::mt19937_64& rng) {
  static const char* const kValues[] = {"-1",
                                        "0",
                                        "256",
                                        "65536",
                                        "-32769",
                                        "2147483648",
                                        "-9223372036854775808",
                                        "9223372036854775807",
                                        "1.5",
                                        "nan",
                                        "'x'",
                                        "[]",
                                        "[1]",
                                        "{}",
                                        "true",
                                        "'-3'",
                                        "'18446744073709551616'",
                                        "''",
                                        "'4'"};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  switch (pick(3)) {
    case 0: {  // a value after " = "
      size_t at = text.find(" = ", pick(text.size()));
      if (at == std::string::npos) at = text.find(" = ");
      const size_t end = text.find('\n', at);
      return text.replace(at + 3, end - at - 3, kValues[pick(std::size(kValues))]);
    }
    case 1: {  // a line dropped (not the first)
      const size_t at = text.rfind('\n', pick(text.size()));
      const size_t end = at == std::string::npos ? at : text.find('\n', at + 1);
      return end == std::string::npos ? text : text.erase(at, end - at);
    }
    default:  // a byte changed
      text[pick(text.size())] = "[]='\"\n.-0x"[pick(11)];
      return text;
  }
}

TEST(Repro, MutatedFilesLoadOrNameTheFile) {
  ReproFile f;
  const std::string valid = repro_toml(sample_repro(f.scenario), f.scenario, f.file());
  std::mt19937_64 rng(20261127);
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = valid;
    for (int n = 1 + static_cast<int>(rng() % 3); n > 0; --n) text = mutate(text, rng);
    const std::string error = f.error_of(text);
    if (error.empty()) continue;
    ++refused;
    EXPECT_EQ(error.rfind(f.file() + ":", 0), 0u) << "round " << round << ": " << error;
  }
  EXPECT_GT(refused, 100);  // the mutations do hit the checks
}

}  // namespace
}  // namespace ordeal
