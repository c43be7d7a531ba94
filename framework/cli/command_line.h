// ordeal's command line as a function: `ordeal` is a main() that calls it,
// and a program of your own that links your properties, fault points and
// targets (framework/run/target_registry.h) calls it too, to run, check,
// replay and list with them as ordeal does with its own:
//
//   int main(int argc, char** argv) { return ordeal::cli::run_command_line(argc, argv); }
//
// The commands it writes into reports (the check of a history, the replay
// of a repro) name the program as it was started (argv[0]), so that they
// run when pasted where it ran.
#pragma once

#include <string>

namespace ordeal::cli {

// Parses and runs one command; the process's exit status (docs: the exit
// status table).
int run_command_line(int argc, char** argv);

// The program as the commands it writes should call it: argv[0] as a shell
// word ("ordeal" before run_command_line() starts).
const std::string& program_name();

}  // namespace ordeal::cli
