// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Bytes.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace conclave::crypto {

std::string toHex(ByteView data)
{
    if (data.empty())
        return {}; // libsodium must not be handed a null pointer, even with length 0
    std::string out(data.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
    out.pop_back();
    return out;
}

std::optional<Bytes> fromHex(std::string_view hex)
{
    if (hex.empty())
        return Bytes{};
    if (hex.size() % 2 != 0)
        return std::nullopt;
    Bytes out(hex.size() / 2);
    size_t written = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) !=
            0 ||
        written != out.size() || end != hex.data() + hex.size())
        return std::nullopt;
    return out;
}

std::string toBase64(ByteView data)
{
    if (data.empty())
        return {};
    const size_t len = sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string out(len, '\0');
    sodium_bin2base64(out.data(), out.size(), data.data(), data.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(len - 1);
    return out;
}

std::optional<Bytes> fromBase64(std::string_view text)
{
    ensureSodium();
    if (text.empty())
        return Bytes{};
    Bytes out(text.size() / 4 * 3 + 3);
    size_t written = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(written);
    return out;
}

bool equalConstantTime(ByteView a, ByteView b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace conclave::crypto
