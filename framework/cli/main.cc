// ordeal: fault injection and chaos testing for order-entry systems.
#include <CLI/CLI.hpp>

#include "framework/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"ordeal: fault injection and chaos testing for order-entry systems"};
  app.set_version_flag("--version", std::string("ordeal ") + ORDEAL_VERSION);
  app.require_subcommand(1);
  int exit_code = ordeal::cli::kExitOk;
  ordeal::cli::add_list_command(app, exit_code);
  ordeal::cli::add_run_command(app, exit_code);
  ordeal::cli::add_check_command(app, exit_code);
  ordeal::cli::add_replay_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : ordeal::cli::kExitUsage;
  }
  return exit_code;
}
