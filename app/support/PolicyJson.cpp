// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyJson.h"

#include "common/Iso8601.h"

#include <QJsonArray>

namespace conclave::app {
namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

QJsonObject rulesToJson(const policy::MeetingRules& r)
{
    return {{QStringLiteral("waiting_room"), r.waitingRoom},
            {QStringLiteral("per_person_invites"), r.perPersonInvites},
            {QStringLiteral("open_knocking"), r.openKnocking},
            {QStringLiteral("e2ee"), r.e2ee},
            {QStringLiteral("clearance_check"), r.clearanceCheck},
            {QStringLiteral("recording"), r.recording},
            {QStringLiteral("chat"), r.chat},
            {QStringLiteral("screen_share"), r.screenShare}};
}

QJsonObject decisionToJson(const policy::Decision& d)
{
    return {{QStringLiteral("allowed"), d.allowed},
            {QStringLiteral("code"), qs(d.code)},
            {QStringLiteral("reason"), qs(d.reason)}};
}

QJsonObject policySummaryToJson(const policy::PolicyDocument& doc)
{
    QJsonArray backends;
    for (const auto& b : doc.backends)
        backends.append(QJsonObject{{QStringLiteral("id"), qs(b.id)},
                                    {QStringLiteral("name"), qs(b.name)},
                                    {QStringLiteral("kind"), qs(std::string(toString(b.kind)))},
                                    {QStringLiteral("max_marking"), qs(b.maxMarking.canonical)},
                                    {QStringLiteral("jurisdiction"), qs(b.jurisdiction)},
                                    {QStringLiteral("operator"), qs(b.operatorName)}});
    QJsonObject out{{QStringLiteral("builtin"), doc.builtin},
                    {QStringLiteral("description"), qs(doc.describe())},
                    {QStringLiteral("scheme"), qs(doc.scheme.id)},
                    {QStringLiteral("backends"), backends}};
    if (!doc.builtin) {
        out.insert(QStringLiteral("serial"), static_cast<qint64>(doc.serial));
        out.insert(QStringLiteral("issuer"), qs(doc.issuer));
        out.insert(QStringLiteral("not_before"), qs(formatUtcTimestamp(doc.notBefore)));
        out.insert(QStringLiteral("not_after"), qs(formatUtcTimestamp(doc.notAfter)));
    }
    return out;
}

QJsonObject verifiedPolicyToJson(const policy::VerifiedPolicy& v)
{
    QJsonObject out = policySummaryToJson(v.document);
    out.insert(QStringLiteral("signed_by"), qs(v.signerKeyId));
    out.insert(QStringLiteral("anchor"), qs(v.signerAnchorFile));
    out.insert(QStringLiteral("sha256"), qs(v.sha256Hex));
    return out;
}

} // namespace conclave::app
