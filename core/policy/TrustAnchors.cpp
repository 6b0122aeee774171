// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/TrustAnchors.h"

#include "crypto/Fingerprint.h"
#include "policy/AuthorityKeyText.h"

#include <QDir>
#include <QFile>

namespace conclave::policy {

Result<TrustAnchors> TrustAnchors::loadDirectory(const std::string& directory)
{
    const QDir dir(QString::fromStdString(directory));
    if (!dir.exists())
        return makeError("policy.no_anchors", "the trust-anchor directory " + directory +
                                                  " does not exist; install your security "
                                                  "authority's public key (*.pub) there");
    TrustAnchors anchors;
    anchors.m_directory = directory;
    const auto files = dir.entryInfoList({QStringLiteral("*.pub")}, QDir::Files, QDir::Name);
    for (const QFileInfo& info : files) {
        QFile file(info.absoluteFilePath());
        const std::string path = info.absoluteFilePath().toStdString();
        if (!file.open(QIODevice::ReadOnly))
            return makeError("policy.bad_anchor", "cannot read trust anchor " + path + ": " +
                                                      file.errorString().toStdString());
        const QByteArray text = file.read(4096);
        auto key = authority_text::decodePublicKey(text.toStdString());
        if (!key)
            return makeError("policy.bad_anchor",
                             "trust anchor " + path + " is damaged: " + key.error().message);
        anchors.m_anchors.push_back({path, crypto::publicKeyId(key->view()), *key});
    }
    return anchors;
}

TrustAnchors TrustAnchors::fromKeys(std::vector<TrustAnchor> anchors, std::string directory)
{
    TrustAnchors result;
    result.m_anchors = std::move(anchors);
    result.m_directory = std::move(directory);
    return result;
}

const TrustAnchor* TrustAnchors::findByKeyId(const std::string& keyId) const
{
    for (const auto& anchor : m_anchors)
        if (anchor.keyId == keyId)
            return &anchor;
    return nullptr;
}

} // namespace conclave::policy
