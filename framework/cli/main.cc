// ordeal: fault injection and chaos testing for order-entry systems.
#include "framework/cli/command_line.h"

int main(int argc, char** argv) { return ordeal::cli::run_command_line(argc, argv); }
