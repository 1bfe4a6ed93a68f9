// Checkpoint files of `elaa optimise`: a fixed header checked before anything is parsed, then a
// JSON payload. Written atomically (temporary file, fsync, rename, fsync of the directory), so a
// run killed at any moment leaves the previous checkpoint intact.
//
//   offset  size  field
//   0       8     magic "ELAACKPT"
//   8       4     format version (little-endian uint32)
//   12      8     payload length in bytes (little-endian uint64)
//   20      4     CRC-32 (IEEE 802.3) of the payload (little-endian uint32)
//   24      n     payload: UTF-8 JSON
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace elaa::optimise {

inline constexpr std::uint32_t kCheckpointVersion = 1;

// Writes `payload` to `path` atomically. Throws InputError when the directory is not writable.
void write_checkpoint(const std::filesystem::path& path, const std::string& payload);

// Reads and verifies a checkpoint; returns its payload. Throws InputError naming the file and what
// is wrong (missing, not a checkpoint, other version, truncated, CRC mismatch). Never modifies it.
std::string read_checkpoint(const std::filesystem::path& path);

std::uint32_t crc32(const std::string& data);

}  // namespace elaa::optimise
