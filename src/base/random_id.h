// Random identifiers: 64 hex digits like Docker's container and exec IDs.
#pragma once

#include <string>

namespace berth {

std::string random_hex_id();  // 32 random bytes from getrandom(2), hex-encoded

}  // namespace berth
