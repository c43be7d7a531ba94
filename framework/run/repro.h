// repro.toml: pins one exact case (usually the shrunk failing one) with the
// scenario and defect it ran under, so that `ordeal replay` runs it again.
#pragma once

#include <string>

#include "framework/run/case.h"
#include "framework/run/scenario.h"

namespace ordeal {

struct Repro {
  // The scenario as this process opens it: absolute, or relative to the
  // current folder. In the file, a relative path is relative to the file's
  // own folder, so that a repro replays from any current folder.
  std::string scenario_path;
  // What the run drove; a replay plays faults that need real processes
  // there. Empty in files from before it was recorded: the scenario's.
  std::string target;
  std::string defect = "none";
  uint64_t run_seed = 0;
  Case c;
  // The program that replays it, named in the file's first line (not read
  // back): `ordeal`, or one's own that knows the run's target.
  std::string program = "ordeal";
};

// The text of a repro file that will be written at `repro_path`.
std::string repro_toml(const Repro& repro, const Scenario& scenario, const std::string& repro_path);

struct ReproLoad {
  Repro repro;
  std::string error;  // names the file, line and field
  explicit operator bool() const { return error.empty(); }
};

// Fault names are resolved against `scenario` (loaded from repro.scenario_path
// by the caller in a second step): see load_repro_case. A relative scenario
// path is resolved against the file's folder; when no file is there, against
// the current folder, as older repro files and copies made elsewhere
// (the nightly corpus) name it; a path found in neither is an error.
ReproLoad load_repro(const std::string& path);
// Reads the case of a repro file against its scenario.
std::string load_repro_case(const std::string& path, const Scenario& scenario, Case& c);

}  // namespace ordeal
