// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/JanusInstancesFile.h"

#include "crypto/Bytes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace conclave::hub {
namespace {

constexpr qint64 kMaxListBytes = 64 * 1024;
constexpr qint64 kMaxSecretBytes = 4096;

Error bad(const QString& path, const QString& what)
{
    return Error{"janus.config",
                 "The Janus instance list " + path.toStdString() + " " + what.toStdString(),
                 ErrorCategory::InvalidInput};
}

/// A credential file's first line. Refused when group or others may read it.
Result<QString> readSecret(const QString& listPath, const QDir& base, const QString& name,
                           const QString& field)
{
    const QString path = QDir::cleanPath(base.absoluteFilePath(name));
    QFile file(path);
    if (!file.exists())
        return bad(listPath, QStringLiteral("names %1 %2, which does not exist").arg(field, path));
    const QFileDevice::Permissions exposed = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (file.permissions() & exposed)
        return bad(listPath,
                   QStringLiteral("names %1 %2, which other users can read; make it readable by "
                                  "the hub's user only (chmod 600)")
                       .arg(field, path));
    if (file.size() > kMaxSecretBytes || !file.open(QIODevice::ReadOnly))
        return bad(listPath, QStringLiteral("names %1 %2, which the hub cannot read (or is larger "
                                            "than %3 bytes)")
                                 .arg(field, path)
                                 .arg(kMaxSecretBytes));
    const QString secret = QString::fromUtf8(file.readAll()).section('\n', 0, 0).trimmed();
    if (secret.isEmpty())
        return bad(listPath, QStringLiteral("names %1 %2, which is empty").arg(field, path));
    return secret;
}

} // namespace

Result<std::vector<JanusInstanceConfig>> JanusInstancesFile::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return bad(path, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    if (file.size() > kMaxListBytes)
        return bad(path, QStringLiteral("is larger than %1 bytes").arg(kMaxListBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return bad(path, QStringLiteral("is not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject root = doc.object();
    for (const QString& key : root.keys())
        if (key != QLatin1String("instances"))
            return bad(path, QStringLiteral("has an unknown key '%1'; use \"instances\"").arg(key));
    const QJsonArray list = root.value(QStringLiteral("instances")).toArray();
    if (list.isEmpty())
        return bad(path, QStringLiteral("lists no instances; give at least one under "
                                        "\"instances\""));
    const QDir base = QFileInfo(path).absoluteDir();
    const QSet<QString> known{QStringLiteral("url"), QStringLiteral("spki_sha256"),
                              QStringLiteral("admin_key_file"), QStringLiteral("api_secret_file")};
    std::vector<JanusInstanceConfig> out;
    QSet<QString> urls;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = QStringLiteral("instances[%1]").arg(i);
        const QJsonObject o = list.at(i).toObject();
        for (const QString& key : o.keys())
            if (!known.contains(key))
                return bad(path, QStringLiteral("has an unknown key '%1' in %2").arg(key, at));
        JanusInstanceConfig c;
        c.url = QUrl(o.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
        if (!c.url.isValid() || c.url.scheme() != QLatin1String("wss") || c.url.host().isEmpty())
            return bad(path, QStringLiteral("has %1.url '%2'; it must be wss://HOST:PORT/ (Janus "
                                            "is reached over TLS with a pinned key)")
                                 .arg(at, o.value(QStringLiteral("url")).toString()));
        if (urls.contains(c.url.toString()))
            return bad(path, QStringLiteral("lists %1 twice").arg(c.url.toString()));
        urls.insert(c.url.toString());
        c.spkiPin = o.value(QStringLiteral("spki_sha256")).toString();
        const auto pin = crypto::fromBase64(c.spkiPin.toStdString());
        if (!pin || pin->size() != 32)
            return bad(path, QStringLiteral("has %1.spki_sha256 '%2'; it must be the base64 "
                                            "SHA-256 of the instance's public key")
                                 .arg(at, c.spkiPin));
        const QString adminKeyFile = o.value(QStringLiteral("admin_key_file")).toString();
        if (adminKeyFile.isEmpty())
            return bad(path, QStringLiteral("has no %1.admin_key_file").arg(at));
        auto adminKey =
            readSecret(path, base, adminKeyFile, at + QStringLiteral(".admin_key_file"));
        if (!adminKey)
            return adminKey.error();
        c.adminKey = *adminKey;
        const QString secretFile = o.value(QStringLiteral("api_secret_file")).toString();
        if (!secretFile.isEmpty()) {
            auto secret =
                readSecret(path, base, secretFile, at + QStringLiteral(".api_secret_file"));
            if (!secret)
                return secret.error();
            c.apiSecret = *secret;
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace conclave::hub
