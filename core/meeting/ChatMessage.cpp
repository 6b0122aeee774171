// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChatMessage.h"

#include "protocol/CborReader.h"

#include <QCborMap>

namespace conclave::meeting {
namespace {

crypto::Bytes aadFor(const QByteArray& meetingId, uint64_t epoch,
                     const crypto::Ed25519PublicKey& sender)
{
    crypto::Bytes aad(meetingId.begin(), meetingId.end());
    for (int i = 7; i >= 0; --i)
        aad.push_back(uint8_t(epoch >> (8 * i)));
    aad.insert(aad.end(), sender.bytes.begin(), sender.bytes.end());
    return aad;
}

crypto::ByteView view(const QByteArray& b)
{
    return {reinterpret_cast<const uint8_t*>(b.constData()), size_t(b.size())};
}

} // namespace

ChatBody ChatMessage::seal(const crypto::SecureBuffer& chatKey, const QByteArray& meetingId,
                           uint64_t epoch, const crypto::Ed25519PublicKey& sender) const
{
    QCborMap plain;
    plain.insert(QStringLiteral("marking"), marking);
    plain.insert(QStringLiteral("text"), text);
    const QByteArray bytes = QCborValue(plain).toCbor();
    const auto sealed =
        crypto::chat_cipher::seal(chatKey, aadFor(meetingId, epoch, sender), view(bytes));
    return ChatBody{epoch,
                    QByteArray(reinterpret_cast<const char*>(sealed.nonce.data()),
                               qsizetype(sealed.nonce.size())),
                    QByteArray(reinterpret_cast<const char*>(sealed.ciphertext.data()),
                               qsizetype(sealed.ciphertext.size()))};
}

Result<ChatMessage> ChatMessage::open(const crypto::SecureBuffer& chatKey,
                                      const QByteArray& meetingId, const ChatBody& body,
                                      const crypto::Ed25519PublicKey& sender)
{
    auto plain = crypto::chat_cipher::open(chatKey, aadFor(meetingId, body.epoch, sender),
                                           view(body.nonce), view(body.ciphertext));
    if (!plain)
        return plain.error();
    const QByteArray bytes(reinterpret_cast<const char*>(plain->data()), qsizetype(plain->size()));
    auto map = protocol::decodeCanonicalMap(bytes, kMaxTextBytes + 512, "the chat message");
    if (!map)
        return map.error();
    protocol::CborReader r(*map, "chat");
    r.expectKeys({"marking", "text"});
    ChatMessage m{r.text("marking", 256), r.text("text", kMaxTextBytes)};
    if (r.error())
        return *r.error();
    return m;
}

} // namespace conclave::meeting
