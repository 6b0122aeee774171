// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "FileAccess.h"
#include "PolicyCommands.h"
#include "policy/AuthorityKeyText.h"
#include "policy/PolicyParser.h"

#include <QFile>
#include <QFileInfo>

namespace conclave::app {

int runSign(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("sign"),
                      QStringLiteral("Sign POLICY with the authority's secret key, writing "
                                     "POLICY.sig. The policy is checked first: an invalid policy "
                                     "is never signed. An existing POLICY.sig is not replaced."),
                      out);
    cmd.addOption({QStringLiteral("key"), QStringLiteral("The authority's secret key file."),
                   QStringLiteral("PREFIX.key")});
    cmd.addPositional(QStringLiteral("POLICY"), QStringLiteral("The policy.json to sign."),
                      QStringLiteral("POLICY"));
    if (auto stop = cmd.parse(args, 1))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("key")}))
        return *stop;

    const QString policyPath = cmd.parser().positionalArguments().at(0);
    auto bytes = readFileLimited(policyPath, policy::PolicyParser::kMaxBytes);
    if (!bytes) {
        out.writeFailure("error", bytes.error());
        return kExitInvalidInput;
    }
    if (auto parsed = policy::PolicyParser::parse(*bytes); !parsed) {
        out.writeFailure("error", {parsed.error().code, "not signed: " + parsed.error().message});
        return kExitInvalidInput;
    }
    const QString keyPath = cmd.parser().value(QStringLiteral("key"));
    if (QFile::permissions(keyPath) & (QFile::ReadGroup | QFile::ReadOther)) {
        out.writeFailure("error", {"key.exposed", keyPath.toStdString() +
                                                      " is readable by other users; run "
                                                      "'chmod 600 " +
                                                      keyPath.toStdString() +
                                                      "' and consider the key compromised "
                                                      "if others could read it"});
        return kExitInvalidInput;
    }
    auto keyText = readFileLimited(keyPath, 4096);
    if (!keyText) {
        out.writeFailure("error", keyText.error());
        return kExitInvalidInput;
    }
    auto key = policy::authority_text::decodeSecretKey(*keyText);
    if (!key) {
        out.writeFailure("error",
                         {key.error().code, keyPath.toStdString() + ": " + key.error().message});
        return kExitInvalidInput;
    }
    const auto signature = policy::authority_text::signPolicy(*key, *bytes);
    const QString sigPath = policyPath + QStringLiteral(".sig");
    if (auto w = writeNewFile(sigPath, policy::authority_text::encodeSignature(signature), false);
        !w) {
        out.writeFailure("error", w.error());
        return kExitInvalidInput;
    }
    out.write({{QStringLiteral("event"), QStringLiteral("signed")},
               {QStringLiteral("policy"), QFileInfo(policyPath).absoluteFilePath()},
               {QStringLiteral("signature"), QFileInfo(sigPath).absoluteFilePath()},
               {QStringLiteral("key_id"), QString::fromStdString(signature.keyId)}});
    return kExitOk;
}

} // namespace conclave::app
