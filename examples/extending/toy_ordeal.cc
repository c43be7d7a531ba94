// toy-ordeal: ordeal's command line with this folder's extensions linked in:
// the toy venue as `--target toy` (registered in custom_target.cc), the
// property cancel-of-final-order-rejected and the fault point
// toy.session.busy, beside ordeal's own. It runs, checks, replays and lists
// as `ordeal` does, and the commands its reports print call it by its name.
//
//   toy-ordeal run toy-venue.toml --target toy --defect ack-cancel-of-filled
//   toy-ordeal replay ordeal-out/repro.toml
//   toy-ordeal check ordeal-out/history.jsonl --property cancel-of-final-order-rejected
#include "framework/cli/command_line.h"

int main(int argc, char** argv) { return ordeal::cli::run_command_line(argc, argv); }
