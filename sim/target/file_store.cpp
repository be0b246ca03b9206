// The one place the target model does I/O: a backing file for `aoeh serve` and long-lived sims.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/target/block_store.hpp"

namespace aoeh::target {

std::unique_ptr<FileStore> FileStore::open(const std::string& path, bool read_only, bool create, std::string* error) {
  int flags = read_only ? O_RDONLY : O_RDWR;
  if (create && !read_only) flags |= O_CREAT;
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (error) *error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
    if (error) *error = path + " is not a regular file or block device";
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<FileStore>(new FileStore(fd));
}

FileStore::~FileStore() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileStore::read(std::uint64_t lba, std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                              static_cast<off_t>(lba * kStoreSectorSize + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {  // past the end of the file: unwritten sectors read as zeros
      std::memset(out.data() + done, 0, out.size() - done);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool FileStore::write(std::uint64_t lba, std::span<const std::uint8_t> data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done,
                               static_cast<off_t>(lba * kStoreSectorSize + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool FileStore::flush() { return ::fdatasync(fd_) == 0; }

std::uint64_t FileStore::size_sectors() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return 0;
  if (S_ISBLK(st.st_mode)) {
    std::uint64_t bytes = 0;
    if (::ioctl(fd_, BLKGETSIZE64, &bytes) != 0) return 0;
    return bytes / kStoreSectorSize;
  }
  return static_cast<std::uint64_t>(st.st_size) / kStoreSectorSize;
}

}  // namespace aoeh::target
