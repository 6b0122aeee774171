// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/EpochSecret.h"

#include "crypto/Blake2b.h"
#include "crypto/Hkdf.h"

namespace conclave::crypto::epoch_secret {

Result<SecureBuffer> admitInput(const SecureBuffer& previous)
{
    if (previous.size() != kSize)
        return makeError("keys.bad_epoch_secret", "an epoch secret is 32 bytes");
    return hkdf::expand(HashAlgorithm::Sha256, previous.view(), asBytes("conclave join"), kSize);
}

SecureBuffer freshInput()
{
    return SecureBuffer::random(kSize);
}

SecureBuffer derive(const RosterHash& rosterHash, const DescriptorHash& descriptorHash,
                    const SecureBuffer& input)
{
    const Bytes salt = Blake2b(32)
                           .update(asBytes("conclave epoch salt v1"))
                           .update(rosterHash)
                           .update(descriptorHash)
                           .finish();
    return hkdf::extract(HashAlgorithm::Sha256, salt, input.view());
}

} // namespace conclave::crypto::epoch_secret
