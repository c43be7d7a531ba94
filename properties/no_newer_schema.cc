// no-newer-schema: a metadata replica commits records of the schema it runs
// and no newer one. After an upgrade step is taken back (a replica rolled
// back from schema 2 to schema 1), the old version must not keep serving
// what the upgrade migrated: old software that holds records it cannot
// read is the failure a rollback is meant to undo. Judged on the meta
// events whose target says which schema its replica ran (replica_schema);
// the others say nothing.
#include "properties/support.h"

namespace ordeal::properties {
namespace {

class NoNewerSchema final : public Property {
 public:
  std::string_view name() const override { return "no-newer-schema"; }
  std::string_view description() const override {
    return "no metadata record is committed with a schema newer than its replica runs (a "
           "rollback undoes the upgrade's migration)";
  }

  void check(const CheckContext& c, std::vector<Violation>& out) const override {
    const History& h = c.history();
    for (uint32_t meta : c.index.metadata()) {
      const Event& e = h[meta];
      const exchange::Instrument& record = h.record(e.record);
      if (e.qty == 0 || record.schema <= e.qty) continue;
      out.push_back(violation(
          name(),
          fmt::format("version {} of {} was committed with schema {} by a replica running schema "
                      "{} ({}): the old version keeps records of the new one",
                      e.number, record.symbol, record.schema, e.qty, when(h, meta)),
          {}, {meta}));
    }
  }
};

ORDEAL_REGISTER_PROPERTY(NoNewerSchema);

}  // namespace
}  // namespace ordeal::properties
