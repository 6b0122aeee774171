// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MessageBodies.h"

#include <QCborMap>
#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

class TestMessageBodies : public QObject {
    Q_OBJECT

    const crypto::Ed25519PublicKey m_someone = crypto::Ed25519SigningKey::generate().publicKey();

private slots:
    void roundTrips()
    {
        auto create = CreateBody::decode(CreateBody{"descriptor", "announcement"}.encode());
        QVERIFY(create.ok() && create->descriptor == "descriptor" &&
                create->announcement == "announcement");

        auto knock =
            KnockBody::decode(KnockBody{{}, QStringLiteral("Jo Bloggs"), "ann", {}}.encode());
        QVERIFY(knock.ok() && knock->invite.isEmpty() &&
                knock->name == QStringLiteral("Jo Bloggs"));

        auto target =
            TargetBody::decode(TargetBody{m_someone, QStringLiteral("disruption")}.encode());
        QVERIFY(target.ok() && target->target == m_someone &&
                target->reason == QStringLiteral("disruption"));

        auto all = ControlBody::decode(ControlBody{ControlAction::MuteAll, std::nullopt}.encode());
        QVERIFY(all.ok() && all->action == ControlAction::MuteAll && !all->target);
        auto one = ControlBody::decode(ControlBody{ControlAction::StopVideo, m_someone}.encode());
        QVERIFY(one.ok() && one->target && *one->target == m_someone);
        auto back = ControlBody::decode(ControlBody{ControlAction::ToLobby, m_someone}.encode());
        QVERIFY(back.ok() && back->action == ControlAction::ToLobby && *back->target == m_someone);
        QVERIFY(!ControlBody::decode(ControlBody{ControlAction::ToLobby, std::nullopt}.encode()));

        auto blob = BlobBody::decode(BlobBody{"commit bytes"}.encode());
        QVERIFY(blob.ok() && blob->blob == "commit bytes");
        auto epoch = EpochBody::decode(EpochBody{42}.encode());
        QVERIFY(epoch.ok() && epoch->epoch == 42);
        auto chat =
            ChatBody::decode(ChatBody{3, QByteArray(24, 'n'), QByteArray(40, 'c')}.encode());
        QVERIFY(chat.ok() && chat->epoch == 3 && chat->ciphertext.size() == 40);
        auto signal = SignalBody::decode(
            SignalBody{m_someone, 7, QByteArray(24, 'n'), QByteArray(40, 's')}.encode());
        QVERIFY(signal.ok() && signal->to == m_someone && signal->epoch == 7 &&
                signal->ciphertext.size() == 40);

        auto remove = RequestBody::decode(
            RequestBody{{ChairAction::Remove, true, m_someone, QStringLiteral("abuse")}}.encode());
        QVERIFY(remove.ok() && remove->command.action == ChairAction::Remove &&
                *remove->command.target == m_someone &&
                remove->command.reason == QStringLiteral("abuse"));
        auto lock = RequestBody::decode(RequestBody{{ChairAction::Lock}}.encode());
        QVERIFY(lock.ok() && lock->command.action == ChairAction::Lock && lock->command.on &&
                !lock->command.target);
        // "unlock" is the same action the other way: the wire name carries the direction.
        auto unlock = RequestBody::decode(RequestBody{{ChairAction::Lock, false}}.encode());
        QVERIFY(unlock.ok() && unlock->command.action == ChairAction::Lock && !unlock->command.on);
        auto takeover = TakeoverBody::decode(TakeoverBody{"delegation", "commit"}.encode());
        QVERIFY(takeover.ok() && takeover->delegation == "delegation" &&
                takeover->commit == "commit");
    }

    void refusesBadRequests()
    {
        // Acting on someone needs a target; acting on the meeting takes none.
        QVERIFY(!RequestBody::decode(RequestBody{{ChairAction::Admit}}.encode()));
        QVERIFY(!RequestBody::decode(RequestBody{{ChairAction::Lock, true, m_someone}}.encode()));
        QCborMap request;
        request.insert(QStringLiteral("action"), QStringLiteral("end"));
        request.insert(QStringLiteral("target"), QByteArray());
        request.insert(QStringLiteral("reason"), QString());
        auto end = RequestBody::decode(QCborValue(request).toCbor());
        QVERIFY(!end.ok()); // ending the meeting is the chair's alone
        QVERIFY(end.error().message.find("'end'") != std::string::npos);
        QVERIFY(!TakeoverBody::decode(TakeoverBody{{}, "commit"}.encode()).ok());
    }

    void refusesBadBodies()
    {
        QVERIFY(!KnockBody::decode(KnockBody{{}, QStringLiteral("  "), "ann", {}}.encode()).ok());
        QVERIFY(!KnockBody::decode(KnockBody{{}, QString(129, 'x'), "ann", {}}.encode()).ok());
        QVERIFY(!KnockBody::decode(KnockBody{{}, QStringLiteral("Jo"), {}, {}}.encode()).ok());
        QVERIFY(
            !ChatBody::decode(ChatBody{3, QByteArray(12, 'n'), QByteArray(40, 'c')}.encode()).ok());
        QVERIFY(!BlobBody::decode(BlobBody{QByteArray(BlobBody::kMaxBlob + 1, 'x')}.encode()).ok());

        QCborMap control;
        control.insert(QStringLiteral("action"), QStringLiteral("self-destruct"));
        control.insert(QStringLiteral("target"), QByteArray());
        auto unknown = ControlBody::decode(QCborValue(control).toCbor());
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.find("self-destruct") != std::string::npos);

        QCborMap shortTarget;
        shortTarget.insert(QStringLiteral("target"), QByteArray(31, 't'));
        shortTarget.insert(QStringLiteral("reason"), QString());
        QVERIFY(!TargetBody::decode(QCborValue(shortTarget).toCbor()).ok());
        QVERIFY(!EpochBody::decode(QByteArray("\xa0", 1)).ok()); // empty map: missing epoch
    }
};

QTEST_GUILESS_MAIN(TestMessageBodies)
#include "tst_messagebodies.moc"
