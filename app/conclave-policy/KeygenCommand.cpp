// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "FileAccess.h"
#include "PolicyCommands.h"
#include "crypto/Fingerprint.h"
#include "policy/AuthorityKeyText.h"

#include <QFileInfo>

namespace conclave::app {

int runKeygen(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("keygen"),
                      QStringLiteral("Make a security-authority Ed25519 key pair: PREFIX.key "
                                     "(secret, mode 0600) and PREFIX.pub (the trust anchor to "
                                     "install on every machine). Existing files are never "
                                     "overwritten."),
                      out);
    cmd.addOption({QStringLiteral("out"), QStringLiteral("Path prefix of the key files."),
                   QStringLiteral("PREFIX")});
    if (auto stop = cmd.parse(args, 0))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("out")}))
        return *stop;

    const QString prefix = cmd.parser().value(QStringLiteral("out"));
    const QString secretPath = prefix + QStringLiteral(".key");
    const QString publicPath = prefix + QStringLiteral(".pub");
    for (const QString& path : {secretPath, publicPath})
        if (QFileInfo::exists(path)) {
            out.writeFailure("error", {"file.exists", path.toStdString() +
                                                          " already exists; nothing was written "
                                                          "(choose another --out prefix)"});
            return kExitInvalidInput;
        }
    const auto key = crypto::Ed25519SigningKey::generate();
    if (auto r = writeNewFile(secretPath, policy::authority_text::encodeSecretKey(key), true); !r) {
        out.writeFailure("error", r.error());
        return kExitInvalidInput;
    }
    if (auto r = writeNewFile(publicPath, policy::authority_text::encodePublicKey(key.publicKey()),
                              false);
        !r) {
        out.writeFailure("error", r.error());
        return kExitInvalidInput;
    }
    out.write({{QStringLiteral("event"), QStringLiteral("keygen")},
               {QStringLiteral("secret_key"), QFileInfo(secretPath).absoluteFilePath()},
               {QStringLiteral("public_key"), QFileInfo(publicPath).absoluteFilePath()},
               {QStringLiteral("key_id"),
                QString::fromStdString(crypto::publicKeyId(key.publicKey().view()))},
               {QStringLiteral("fingerprint"),
                QString::fromStdString(crypto::publicKeyFingerprint(key.publicKey().view()))}});
    return kExitOk;
}

} // namespace conclave::app
