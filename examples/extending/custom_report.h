// A report listener of your own: the verdict of a run in TAP (the Test
// Anything Protocol), one line per property checked, for CI systems that
// read TAP. ordeal's own reports (report.json, junit.xml, the console) are
// listeners of the same interface.
//
//   std::ofstream file(out_dir + "/report.tap");
//   auto tap = toy::tap_report(file);
//   tap->on_finish(report);  // ok 1 - no-lost-cancel ... not ok 7 - no-overfill
#pragma once

#include <memory>
#include <ostream>

#include "framework/report/report.h"

namespace toy {

std::unique_ptr<ordeal::ReportListener> tap_report(std::ostream& out);

}  // namespace toy
