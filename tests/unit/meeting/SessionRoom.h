// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A chair with people knocking (or admitted) through the in-memory hub: the start of most
// session scenarios. Header-only, test code only.

#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"

#include <QtGlobal>

#include <initializer_list>
#include <memory>

namespace conclave::testsupport {

struct SessionRoom {
    std::unique_ptr<meeting::ChairSession> chair;
    std::unique_ptr<SessionHarness> hub;
};

/// The chair has announced the meeting (hub pin "pinA") and each of `names` has knocked with
/// an invite of their own; nobody is admitted yet.
inline SessionRoom roomWithKnockers(const crypto::Ed25519SigningKey& chairKey,
                                    const policy::PolicyDocument& policy, const Clock& clock,
                                    std::initializer_list<const char*> names,
                                    const char* marking = "OFFICIAL-SENSITIVE")
{
    auto chair = meeting::ChairSession::create(
        chairKey, policy, clock, setup(marking, "this-computer", QStringLiteral("pinA")));
    if (!chair)
        qFatal("chair did not start: %s", chair.error().message.c_str());
    (*chair)->announce();
    SessionRoom r{std::move(chair).value(), nullptr};
    r.hub = std::make_unique<SessionHarness>(*r.chair, QStringLiteral("pinA"));
    for (const char* name : names)
        r.hub->join(
            QString::fromLatin1(name),
            r.chair->makeInvite(QString::fromLatin1(name), std::nullopt, std::chrono::hours(1))
                .value(),
            policy, clock);
    r.hub->pump();
    return r;
}

/// As roomWithKnockers, with everyone admitted in the order named.
inline SessionRoom roomWithMembers(const crypto::Ed25519SigningKey& chairKey,
                                   const policy::PolicyDocument& policy, const Clock& clock,
                                   std::initializer_list<const char*> names,
                                   const char* marking = "OFFICIAL-SENSITIVE")
{
    SessionRoom r = roomWithKnockers(chairKey, policy, clock, names, marking);
    for (const char* name : names) {
        auto admitted = r.chair->admit(
            r.hub->participants().at(QString::fromLatin1(name)).identity->publicKey());
        if (!admitted)
            qFatal("admit failed: %s", admitted.error().message.c_str());
        r.hub->pump();
    }
    return r;
}

} // namespace conclave::testsupport
