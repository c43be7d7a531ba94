// ordeal: fault injection and chaos testing for order-entry systems.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <new>

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
  } catch (const std::bad_alloc&) {
    // Caught, not left to std::terminate: unwinding closes the files the
    // command was writing, with what they hold so far.
    std::fputs("ordeal: out of memory\n", stderr);
    return ordeal::cli::kExitEnvironment;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ordeal: unexpected error: %s\n", error.what());
    return ordeal::cli::kExitEnvironment;
  }
  return exit_code;
}
