#include "framework/cli/command_line.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>

#include "framework/cli/commands.h"
#include "framework/report/report.h"

namespace ordeal::cli {
namespace {

std::string& program() {
  static std::string name = "ordeal";
  return name;
}

}  // namespace

const std::string& program_name() { return program(); }

int run_command_line(int argc, char** argv) {
  // As it was started, so that a printed command runs when pasted where the
  // program was run: "ordeal" from PATH, "build/default/bin/ordeal" so.
  if (argc > 0 && argv[0] != nullptr && *argv[0] != '\0') program() = shell_word(argv[0]);
  CLI::App app{"ordeal: fault injection and chaos testing for order-entry systems",
               std::filesystem::path(argv[0] != nullptr ? argv[0] : "ordeal").filename().string()};
  app.set_version_flag("--version", std::string("ordeal ") + ORDEAL_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  add_list_command(app, exit_code);
  add_run_command(app, exit_code);
  add_check_command(app, exit_code);
  add_replay_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  } catch (const std::bad_alloc&) {
    // Caught, not left to std::terminate: unwinding closes the files the
    // command was writing, with what they hold so far.
    std::fputs("ordeal: out of memory\n", stderr);
    return kExitEnvironment;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ordeal: unexpected error: %s\n", error.what());
    return kExitEnvironment;
  }
  return exit_code;
}

}  // namespace ordeal::cli
