// The subcommands of the `ordeal` command line, each in its own file. Every
// one registers itself on the CLI11 app and sets the process exit code (see
// the exit status table in the project's docs).
#pragma once

#include <string>

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace ordeal::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitEnvironment = 3;
inline constexpr int kExitInterrupted = 130;

void add_list_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);

// Creates the output folder; false (with a message on stderr) when it cannot.
bool prepare_out_dir(const std::string& dir);

// An option's value must be a number from `lo` to `hi`; unlike CLI::Range,
// nan is refused (it compares false with both bounds).
CLI::Validator number_within(double lo, double hi);

}  // namespace ordeal::cli
