// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Policy, markings and chair set-ups shared by the session tests. Header-only, test code only.

#include "PolicyFixture.h"
#include "classification/MarkingParser.h"
#include "meeting/ChairSetup.h"
#include "policy/PolicyParser.h"

#include <QJsonObject>

namespace conclave::testsupport {

/// The pins tests/data/policy/valid-policy.json lists for its `secret-hub` and `dept-hub-1`.
inline const QString kSecretHubPin = QStringLiteral("5WzKEY/Cg14GaYZUx9xu5va+gaDI4preMixEmkIvVXk=");
inline const QString kDeptHubPin = QStringLiteral("HYoBOaCjCOoSXvFSxIW1iPchsBvgrjof1Xcfzxjve3Y=");

inline policy::PolicyDocument policyFrom(const QJsonObject& json)
{
    const QByteArray bytes = PolicyFixture::toBytes(json);
    return policy::PolicyParser::parse({bytes.constData(), size_t(bytes.size())}).value();
}

inline classification::Marking mark(const char* text)
{
    static const auto scheme = classification::Scheme::ukGovernment();
    return classification::MarkingParser(scheme).parse(text).value().marking;
}

inline meeting::ChairSetup setup(const char* marking, const char* backend, const QString& pin)
{
    meeting::ChairSetup s;
    s.title = QStringLiteral("Committee evidence session");
    s.marking = mark(marking);
    s.backendId = QString::fromLatin1(backend);
    s.hubUrl = QStringLiteral("wss://127.0.0.1:9443");
    s.hubPin = pin;
    s.chairName = QStringLiteral("Chair");
    s.hostedHere = true; // an embedded backend's meeting, as EmbeddedHost would set it up
    s.options.chat = true;
    s.options.openKnocking = true;
    s.options.invitesRequired = false;
    return s;
}

} // namespace conclave::testsupport
