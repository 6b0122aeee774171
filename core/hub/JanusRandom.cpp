// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/JanusRandom.h"

#include <QByteArray>
#include <QRandomGenerator>

#include <array>

namespace conclave::hub {

std::uint64_t JanusRandom::opaqueId()
{
    constexpr std::uint64_t limit = std::uint64_t{1} << 53;
    std::uint64_t id = 0;
    while (id == 0)
        id = QRandomGenerator::system()->generate64() & (limit - 1);
    return id;
}

QString JanusRandom::secret()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char*>(words.data()),
                           static_cast<qsizetype>(words.size() * sizeof(quint32)));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString JanusRandom::memberToken()
{
    return secret();
}

} // namespace conclave::hub
