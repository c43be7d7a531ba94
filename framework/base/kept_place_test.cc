// KeptPlace: each build() gives a new object in the memory of the last one,
// destroying that one first; drop() destroys without building.
#include "framework/base/kept_place.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ordeal {
namespace {

// Records its construction and destruction in a shared log.
struct Noted {
  Noted(std::vector<std::string>& log, std::string name) : log_(log), name_(std::move(name)) {
    log_.push_back("built " + name_);
  }
  ~Noted() { log_.push_back("destroyed " + name_); }
  Noted(const Noted&) = delete;
  Noted& operator=(const Noted&) = delete;
  std::vector<std::string>& log_;
  std::string name_;
};

TEST(KeptPlace, BuildsEachObjectAnewAtTheSameAddress) {
  std::vector<std::string> log;
  KeptPlace<Noted> place;
  EXPECT_FALSE(place.built());
  const Noted* first = &place.build(log, "a");
  EXPECT_EQ(place->name_, "a");
  const Noted* second = &place.build(log, "b");
  EXPECT_EQ(second, first);
  EXPECT_EQ(place->name_, "b");
  EXPECT_EQ(log, (std::vector<std::string>{"built a", "destroyed a", "built b"}));
}

TEST(KeptPlace, DropDestroysAndKeepsTheMemory) {
  std::vector<std::string> log;
  KeptPlace<Noted> place;
  place.drop();  // nothing built yet: nothing to do
  const Noted* first = &place.build(log, "a");
  place.drop();
  EXPECT_FALSE(place.built());
  place.drop();
  EXPECT_EQ(log, (std::vector<std::string>{"built a", "destroyed a"}));
  EXPECT_EQ(&place.build(log, "b"), first);
}

TEST(KeptPlace, DestroysItsObjectWithIt) {
  std::vector<std::string> log;
  {
    KeptPlace<Noted> place;
    place.build(log, "a");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"built a", "destroyed a"}));
}

}  // namespace
}  // namespace ordeal
