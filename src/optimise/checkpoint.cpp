#include "optimise/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace elaa::optimise {

namespace {

constexpr char kMagic[8] = {'E', 'L', 'A', 'A', 'C', 'K', 'P', 'T'};
constexpr std::size_t kHeaderSize = 24;
// A checkpoint larger than this is not one of ours (guards the allocation before the CRC check).
constexpr std::uint64_t kMaxPayload = 1ull << 32;

void put_le(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t get_le(const char* in, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    return value;
}

void write_all(int fd, const std::string& data, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw InputError(path.string() + ": write failed (" + std::strerror(errno) + ")");
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::uint32_t crc32(const std::string& data) {
    boost::crc_32_type crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

void write_checkpoint(const std::filesystem::path& path, const std::string& payload) {
    std::string bytes(kMagic, sizeof kMagic);
    put_le(bytes, kCheckpointVersion, 4);
    put_le(bytes, payload.size(), 8);
    put_le(bytes, crc32(payload), 4);
    bytes += payload;

    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const auto temp = dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw InputError(temp.string() + ": cannot create (" + std::strerror(errno) + ")");
    try {
        write_all(fd, bytes, temp);
        if (::fsync(fd) != 0) throw InputError(temp.string() + ": fsync failed (" + std::strerror(errno) + ")");
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        throw InputError(path.string() + ": cannot replace (" + why + ")");
    }
    // The rename itself must reach the disk before the old checkpoint can be considered gone.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

std::string read_checkpoint(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot read the checkpoint");
    char header[kHeaderSize];
    in.read(header, kHeaderSize);
    if (in.gcount() < static_cast<std::streamsize>(kHeaderSize))
        throw InputError(path.string() + ": truncated checkpoint (shorter than its 24-byte header)");
    if (std::memcmp(header, kMagic, sizeof kMagic) != 0)
        throw InputError(path.string() + ": not an elaa checkpoint (wrong magic bytes)");
    const auto version = static_cast<std::uint32_t>(get_le(header + 8, 4));
    if (version != kCheckpointVersion)
        throw InputError(path.string() + ": checkpoint format version " + std::to_string(version) +
                         ", this elaa reads version " + std::to_string(kCheckpointVersion));
    const auto length = get_le(header + 12, 8);
    const auto crc = static_cast<std::uint32_t>(get_le(header + 20, 4));
    // Compare the stated length with the file before allocating anything for it.
    std::error_code ec;
    const auto file_size = std::filesystem::file_size(path, ec);
    if (ec) throw InputError(path.string() + ": cannot read the checkpoint (" + ec.message() + ")");
    if (length > kMaxPayload || length > file_size - kHeaderSize)
        throw InputError(path.string() + ": truncated checkpoint (header states " + std::to_string(length) +
                         " payload bytes, the file holds " + std::to_string(file_size - kHeaderSize) + ")");
    std::string payload(static_cast<std::size_t>(length), '\0');
    in.read(payload.data(), static_cast<std::streamsize>(length));
    if (static_cast<std::uint64_t>(in.gcount()) != length)
        throw InputError(path.string() + ": truncated checkpoint (" + std::to_string(in.gcount()) + " of " +
                         std::to_string(length) + " payload bytes)");
    if (in.peek() != std::char_traits<char>::eof())
        throw InputError(path.string() + ": corrupt checkpoint (bytes after the payload)");
    if (crc32(payload) != crc) throw InputError(path.string() + ": corrupt checkpoint (CRC-32 mismatch)");
    return payload;
}

}  // namespace elaa::optimise
