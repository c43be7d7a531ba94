// The subcommands of the `ordeal` command line, each in its own file. Every
// one registers its options on the CLI11 app and returns a process exit code
// (see the exit status table in the project's contract).
#pragma once

namespace CLI {
class App;
}

namespace ordeal::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitUsage = 2;

// Each add_* registers a subcommand; the returned callback runs it.
void add_list_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);

}  // namespace ordeal::cli
