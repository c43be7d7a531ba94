// Writes a whole file and says whether it is on disk: every report ordeal
// writes goes through here, so that a full disk or a missing folder is an
// error naming the file, never a report silently cut short. A full disk
// can show only when the buffered rest is written at the close, so the
// close is checked as well as the write.
//
//   if (std::string e = write_file(dir + "/report.json", text); !e.empty()) fail(e);
#pragma once

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace ordeal {

// "" once `content` is all in `path` (replaced), else "PATH: cannot write: CAUSE".
inline std::string write_file(const std::string& path, std::string_view content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return fmt::format("{}: cannot write: {}", path, std::strerror(errno));
  int error = 0;
  if (std::fwrite(content.data(), 1, content.size(), file) != content.size()) error = errno;
  if (std::fclose(file) != 0 && error == 0) error = errno;
  if (error == 0) return "";
  return fmt::format("{}: cannot write: {}", path, std::strerror(error));
}

}  // namespace ordeal
