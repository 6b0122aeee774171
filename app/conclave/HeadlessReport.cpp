// SPDX-License-Identifier: GPL-3.0-or-later
#include "HeadlessReport.h"

#include "PolicyJson.h"
#include "classification/MarkingParser.h"
#include "crypto/Fingerprint.h"
#include "policy/ApprovalEngine.h"

#include <QJsonArray>

namespace conclave::app {
namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

void HeadlessReport::print(DeviceContext& device, const EffectivePolicy& effective) const
{
    const auto& key = device.identity().publicKey();
    m_out.write({{QStringLiteral("event"), QStringLiteral("identity")},
                 {QStringLiteral("fingerprint"), qs(crypto::publicKeyFingerprint(key.view()))},
                 {QStringLiteral("key_id"), qs(crypto::publicKeyId(key.view()))},
                 // What a policy's embedded-backend "hosts" list names (docs/policy.md).
                 {QStringLiteral("key"),
                  QString::fromLatin1(
                      QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32).toBase64())},
                 {QStringLiteral("protection"),
                  qs(std::string(storage::toString(device.protectionMode())))},
                 {QStringLiteral("created"), device.identityCreated()}});

    QJsonObject policyLine = policySummaryToJson(effective.document);
    policyLine.insert(QStringLiteral("event"), QStringLiteral("policy"));
    if (effective.problem)
        policyLine.insert(QStringLiteral("problem"),
                          QJsonObject{{QStringLiteral("code"), qs(effective.problem->code)},
                                      {QStringLiteral("reason"), qs(effective.problem->message)}});
    m_out.write(policyLine);

    const auto& scheme = effective.document.scheme;
    const policy::ApprovalEngine engine(effective.document);
    for (const auto& grade : scheme.approvalGrades()) {
        auto marking = classification::MarkingParser(scheme).parse(grade);
        if (!marking)
            continue; // every grade name is itself a valid marking; nothing to report otherwise
        QJsonArray allowedOn;
        QJsonObject refused;
        if (effective.document.builtin) {
            const auto d = engine.decideStart("", marking->marking);
            if (d.allowed)
                allowedOn.append(QStringLiteral("(any backend)"));
            else
                refused.insert(QStringLiteral("(any backend)"), qs(d.reason));
        }
        for (const auto& option : engine.backendOptions(marking->marking)) {
            if (option.decision.allowed)
                allowedOn.append(qs(option.backendId));
            else
                refused.insert(qs(option.backendId), qs(option.decision.reason));
        }
        m_out.write({{QStringLiteral("event"), QStringLiteral("grade")},
                     {QStringLiteral("grade"), qs(grade)},
                     {QStringLiteral("allowed_on"), allowedOn},
                     {QStringLiteral("refused"), refused}});
    }
}

} // namespace conclave::app
