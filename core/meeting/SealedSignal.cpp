// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/SealedSignal.h"

#include "crypto/ChatCipher.h"

namespace conclave::meeting {
namespace {

crypto::Bytes aadFor(const QByteArray& meetingId, uint64_t epoch,
                     const crypto::Ed25519PublicKey& from, const crypto::Ed25519PublicKey& to)
{
    const QByteArray label("conclave signal v1");
    crypto::Bytes aad(label.begin(), label.end());
    aad.insert(aad.end(), meetingId.begin(), meetingId.end());
    for (int i = 7; i >= 0; --i)
        aad.push_back(uint8_t(epoch >> (8 * i)));
    aad.insert(aad.end(), from.bytes.begin(), from.bytes.end());
    aad.insert(aad.end(), to.bytes.begin(), to.bytes.end());
    return aad;
}

crypto::ByteView view(const QByteArray& b)
{
    return {reinterpret_cast<const uint8_t*>(b.constData()), size_t(b.size())};
}

} // namespace

SignalBody SealedSignal::seal(const crypto::SecureBuffer& key, const QByteArray& meetingId,
                              uint64_t epoch, const crypto::Ed25519PublicKey& from,
                              const crypto::Ed25519PublicKey& to, const QByteArray& payload)
{
    const auto sealed =
        crypto::chat_cipher::seal(key, aadFor(meetingId, epoch, from, to), view(payload));
    return SignalBody{to, epoch,
                      QByteArray(reinterpret_cast<const char*>(sealed.nonce.data()),
                                 qsizetype(sealed.nonce.size())),
                      QByteArray(reinterpret_cast<const char*>(sealed.ciphertext.data()),
                                 qsizetype(sealed.ciphertext.size()))};
}

Result<QByteArray> SealedSignal::open(const crypto::SecureBuffer& key, const QByteArray& meetingId,
                                      const SignalBody& body, const crypto::Ed25519PublicKey& from)
{
    auto plain = crypto::chat_cipher::open(key, aadFor(meetingId, body.epoch, from, body.to),
                                           view(body.nonce), view(body.ciphertext));
    if (!plain)
        return plain.error();
    return QByteArray(reinterpret_cast<const char*>(plain->data()), qsizetype(plain->size()));
}

Result<QByteArray> SealedSignal::receive(const ChatKeyRing& keys, TimePoint now,
                                         const QByteArray& meetingId,
                                         const protocol::Envelope& envelope, bool fromMember,
                                         const crypto::Ed25519PublicKey& self)
{
    auto body = SignalBody::decode(envelope.body);
    const crypto::SecureBuffer* key = body ? keys.keyFor(body->epoch, now) : nullptr;
    if (!key || !fromMember || !(body->to == self))
        return makeError("media.signal_dropped",
                         "a media set-up message not from a member of this epoch, not for this "
                         "device, or not sealed for it, was dropped");
    auto payload = open(*key, meetingId, *body, envelope.sender);
    if (!payload)
        return makeError("media.signal_dropped",
                         "a media set-up message did not open with this epoch's key; dropped");
    return payload;
}

} // namespace conclave::meeting
