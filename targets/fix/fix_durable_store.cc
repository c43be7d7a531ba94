// Compiled as C++14 with QuickFIX (see fix_engine.cc).
#include "targets/fix/fix_durable_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ordeal {
namespace fix {
namespace {

// "%010d %010d YYYYMMDD-HH:MM:SS\n": fixed, so that it is rewritten in place.
constexpr size_t kSeqnumsBytes = 40;
// A record longer than this is taken for garbage: the kept run ends there.
constexpr size_t kRecordBytesMax = 16 << 20;

std::string file_name(const FIX::SessionID& id) {
  std::string name = id.toString();
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    if (!plain) c = '_';
  }
  return name;
}

std::string failure(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {  // each turn writes at least a byte or throws
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw FIX::IOException(failure("cannot write", path));
    done += static_cast<size_t>(n);
  }
}

std::string record(int seq, const std::string& message) {
  std::string out = std::to_string(seq) + " " + std::to_string(message.size()) + "\n";
  out.reserve(out.size() + message.size() + 1);
  out += message;
  out += '\n';
  return out;
}

std::string read_all(int fd, const std::string& path) {
  std::string data;
  char buffer[1 << 16];
  for (;;) {  // ends at end of file; the file is bounded by compaction
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw FIX::ConfigError(failure("cannot read", path));
    if (n == 0) return data;
    data.append(buffer, static_cast<size_t>(n));
  }
}

// One record at `at`: its sequence number and message, and where the next
// starts; false when the bytes there are not a whole record.
bool parse_record(const std::string& data, size_t& at, int& seq, std::string& message) {
  const size_t line_end = data.find('\n', at);
  if (line_end == std::string::npos || line_end - at > 32) return false;
  char* end = nullptr;
  const long number = std::strtol(data.c_str() + at, &end, 10);
  if (end == data.c_str() + at || *end != ' ' || number <= 0 || number > 0x7fffffff) return false;
  const unsigned long length = std::strtoul(end + 1, &end, 10);
  if (end != data.c_str() + line_end || length > kRecordBytesMax) return false;
  const size_t body = line_end + 1;
  if (body + length >= data.size() || data[body + length] != '\n') return false;
  seq = static_cast<int>(number);
  message.assign(data, body, length);
  at = body + length + 1;
  return true;
}

void make_dirs(const std::string& dir) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string prefix = dir.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      throw FIX::ConfigError(failure("cannot create", prefix));
    }
    if (slash == std::string::npos) return;
  }
}

}  // namespace

DurableRecentStore::DurableRecentStore(const std::string& dir, const FIX::SessionID& id,
                                       size_t messages_max)
    : RecentMessageStore(messages_max),
      seqnums_path_(dir + "/" + file_name(id) + ".seqnums"),
      messages_path_(dir + "/" + file_name(id) + ".messages") {
  try {
    open_seqnums();
    open_messages();
  } catch (...) {
    if (seqnums_fd_ >= 0) ::close(seqnums_fd_);
    if (messages_fd_ >= 0) ::close(messages_fd_);
    throw;
  }
}

DurableRecentStore::~DurableRecentStore() {
  ::close(seqnums_fd_);
  ::close(messages_fd_);
}

void DurableRecentStore::open_seqnums() {
  seqnums_fd_ = ::open(seqnums_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (seqnums_fd_ < 0) throw FIX::ConfigError(failure("cannot open", seqnums_path_));
  const std::string line = read_all(seqnums_fd_, seqnums_path_);
  if (line.empty()) return write_seqnums();  // a new session
  int sender = 0, target = 0;
  char created[18] = {0};
  if (line.size() != kSeqnumsBytes ||
      std::sscanf(line.c_str(), "%10d %10d %17s", &sender, &target, created) != 3 || sender <= 0 ||
      target <= 0) {
    throw FIX::ConfigError(seqnums_path_ + ": not a sequence number line: '" + line + "'");
  }
  RecentMessageStore::setNextSenderMsgSeqNum(sender);
  RecentMessageStore::setNextTargetMsgSeqNum(target);
  try {
    set_creation_time(FIX::UtcTimeStampConvertor::convert(std::string(created)));
  } catch (const FIX::FieldConvertError&) {
    throw FIX::ConfigError(seqnums_path_ + ": bad creation time '" + created + "'");
  }
}

// Replays the records; a torn or garbled tail is cut off (those messages
// are gap-filled if asked for, like any the store no longer holds).
void DurableRecentStore::open_messages() {
  messages_fd_ = ::open(messages_path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (messages_fd_ < 0) throw FIX::ConfigError(failure("cannot open", messages_path_));
  const std::string data = read_all(messages_fd_, messages_path_);
  size_t at = 0;
  int seq = 0;
  std::string message;
  while (at < data.size() && parse_record(data, at, seq, message)) {  // each turn moves `at` on
    RecentMessageStore::set(seq, message);
    ++records_;
  }
  if (at < data.size() && ::ftruncate(messages_fd_, static_cast<off_t>(at)) != 0) {
    throw FIX::ConfigError(failure("cannot cut the torn tail of", messages_path_));
  }
  if (records_ >= 2 * messages_max()) compact();
}

void DurableRecentStore::write_seqnums() {
  char line[kSeqnumsBytes + 1];
  const std::string created = FIX::UtcTimeStampConvertor::convert(getCreationTime());
  std::snprintf(line, sizeof line, "%010d %010d %s\n", getNextSenderMsgSeqNum(),
                getNextTargetMsgSeqNum(), created.c_str());
  if (::pwrite(seqnums_fd_, line, kSeqnumsBytes, 0) != static_cast<ssize_t>(kSeqnumsBytes)) {
    throw FIX::IOException(failure("cannot write", seqnums_path_));
  }
}

void DurableRecentStore::append(int seq, const std::string& message) {
  write_all(messages_fd_, record(seq, message), messages_path_);
  ++records_;
  if (records_ >= 2 * messages_max()) compact();
}

// Writes the kept messages to a new file and renames it over the old one:
// a kill in between leaves the old file, which still holds them all.
void DurableRecentStore::compact() {
  const std::string fresh = messages_path_ + ".new";
  const int fd = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw FIX::IOException(failure("cannot open", fresh));
  std::string bytes;
  int seq = first_seq();
  for (const std::string& message : kept()) bytes += record(seq++, message);
  try {
    write_all(fd, bytes, fresh);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(fresh.c_str(), messages_path_.c_str()) != 0) {
    throw FIX::IOException(failure("cannot rename over", messages_path_));
  }
  const int reopened = ::open(messages_path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (reopened < 0) throw FIX::IOException(failure("cannot open", messages_path_));
  ::close(messages_fd_);
  messages_fd_ = reopened;
  records_ = kept().size();
}

bool DurableRecentStore::set(int seq, const std::string& message) throw(FIX::IOException) {
  RecentMessageStore::set(seq, message);
  append(seq, message);
  return true;
}

void DurableRecentStore::setNextSenderMsgSeqNum(int value) throw(FIX::IOException) {
  RecentMessageStore::setNextSenderMsgSeqNum(value);
  write_seqnums();
}

void DurableRecentStore::setNextTargetMsgSeqNum(int value) throw(FIX::IOException) {
  RecentMessageStore::setNextTargetMsgSeqNum(value);
  write_seqnums();
}

void DurableRecentStore::incrNextSenderMsgSeqNum() throw(FIX::IOException) {
  RecentMessageStore::incrNextSenderMsgSeqNum();
  write_seqnums();
}

void DurableRecentStore::incrNextTargetMsgSeqNum() throw(FIX::IOException) {
  RecentMessageStore::incrNextTargetMsgSeqNum();
  write_seqnums();
}

void DurableRecentStore::reset() throw(FIX::IOException) {
  RecentMessageStore::reset();
  if (::ftruncate(messages_fd_, 0) != 0) {
    throw FIX::IOException(failure("cannot empty", messages_path_));
  }
  records_ = 0;
  write_seqnums();
}

FIX::MessageStore* DurableStoreFactory::create(const FIX::SessionID& id) {
  make_dirs(dir_);
  return new DurableRecentStore(dir_, id, messages_max_);
}

}  // namespace fix
}  // namespace ordeal
