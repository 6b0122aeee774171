// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/RosterEntry.h"

#include <algorithm>
#include <string_view>

namespace conclave::crypto {
namespace {

/// Code points a display name must not contain: C0/C1 controls and DEL (line breaks and
/// terminal tricks in a list of people) and the bidi embedding/override/isolate controls
/// (which can make one name render as another).
bool isForbiddenCodePoint(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool isAcceptableName(std::string_view name)
{
    size_t i = 0;
    while (i < name.size()) {
        const auto b0 = static_cast<uint8_t>(name[i]);
        size_t length = 0;
        uint32_t cp = 0;
        uint32_t minimum = 0;
        if (b0 < 0x80) {
            length = 1;
            cp = b0;
        } else if ((b0 & 0xe0) == 0xc0) {
            length = 2;
            cp = b0 & 0x1f;
            minimum = 0x80;
        } else if ((b0 & 0xf0) == 0xe0) {
            length = 3;
            cp = b0 & 0x0f;
            minimum = 0x800;
        } else if ((b0 & 0xf8) == 0xf0) {
            length = 4;
            cp = b0 & 0x07;
            minimum = 0x10000;
        } else {
            return false;
        }
        if (name.size() - i < length)
            return false;
        for (size_t k = 1; k < length; ++k) {
            const auto b = static_cast<uint8_t>(name[i + k]);
            if ((b & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (b & 0x3f);
        }
        if (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
            isForbiddenCodePoint(cp))
            return false;
        i += length;
    }
    return true;
}

} // namespace

void RosterEntry::encode(Bytes& out) const
{
    using namespace schedule_wire;
    putU32(out, index);
    putU8(out, static_cast<uint8_t>(role));
    putBytes(out, identity.view());
    putBytes(out, ephemeral.view());
    putU8(out, static_cast<uint8_t>(name.size()));
    putBytes(out, asBytes(name));
}

Result<RosterEntry> RosterEntry::decode(schedule_wire::Reader& reader)
{
    const auto truncated = [] {
        return makeError("roster.truncated", "a roster entry is cut short");
    };
    RosterEntry entry;
    const auto index = reader.u32();
    const auto role = reader.u8();
    const auto identity = reader.bytes(Ed25519PublicKey::kSize);
    const auto ephemeral = reader.bytes(X25519PublicKey::kSize);
    const auto nameLength = reader.u8();
    if (!index || !role || !identity || !ephemeral || !nameLength)
        return truncated();
    if (*role > static_cast<uint8_t>(MemberRole::Observer))
        return makeError("roster.bad_role", "a roster entry has the unknown role " +
                                                std::to_string(*role) + " (known: 0 to 3)");
    if (*nameLength > kMaxNameBytes)
        return makeError("roster.bad_name", "a roster name is longer than 128 bytes");
    const auto name = reader.bytes(*nameLength);
    if (!name)
        return truncated();
    entry.index = *index;
    entry.role = static_cast<MemberRole>(*role);
    std::copy(identity->begin(), identity->end(), entry.identity.bytes.begin());
    std::copy(ephemeral->begin(), ephemeral->end(), entry.ephemeral.bytes.begin());
    entry.name.assign(reinterpret_cast<const char*>(name->data()), name->size());
    if (auto valid = entry.validate(); !valid)
        return valid.error();
    return entry;
}

Result<void> RosterEntry::validate() const
{
    if (static_cast<uint8_t>(role) > static_cast<uint8_t>(MemberRole::Observer))
        return makeError("roster.bad_role", "a roster entry has an unknown role (known: 0 to 3)");
    if (name.size() > kMaxNameBytes)
        return makeError("roster.bad_name", "the name of member " + std::to_string(index) +
                                                " is longer than 128 bytes");
    if (!isAcceptableName(name))
        return makeError("roster.bad_name",
                         "the name of member " + std::to_string(index) +
                             " is not valid UTF-8 or contains control or text-direction "
                             "characters");
    return {};
}

} // namespace conclave::crypto
