// SPDX-License-Identifier: GPL-3.0-or-later
// Feed ids: every member computes the same Janus publisher id for a roster member, below 2^53
// (JSON-safe) and never 0, different per room and per identity.
#include "janus/FeedId.h"

#include <QSet>
#include <QTest>

using conclave::janus::feedIdFor;

namespace {

QByteArray key(char fill)
{
    return QByteArray(32, fill);
}

} // namespace

class TestFeedId : public QObject {
    Q_OBJECT

private slots:
    void stableForTheSameRoomAndIdentity()
    {
        const QByteArray identity =
            QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        QCOMPARE(feedIdFor(42, identity), feedIdFor(42, QByteArray(identity)));
        QVERIFY(feedIdFor(42, identity) != 0);
        // Every client must compute the same id for a member: the construction is pinned by an
        // independent computation (Python's hashlib.blake2b, digest_size=32, of the label, the
        // room as 8 bytes big-endian and the identity; first 8 bytes big-endian, low 52 bits).
        QCOMPARE(feedIdFor(42, identity), quint64(3549574990648910));
    }

    void distinctInputsGiveDistinctIds()
    {
        QSet<quint64> seen;
        for (quint64 room : {quint64(1), quint64(2), (quint64(1) << 53) - 1, quint64(1) << 40})
            for (int member = 0; member < 64; ++member) {
                QByteArray identity = key(0);
                identity[member % 32] = char(1 + member / 32);
                const quint64 id = feedIdFor(room, identity);
                QVERIFY2(!seen.contains(id), "two (room, identity) pairs share a feed id");
                seen.insert(id);
            }
        QCOMPARE(seen.size(), 4 * 64);
        // The room and the identity both count: swapping either changes the id.
        QVERIFY(feedIdFor(7, key('a')) != feedIdFor(8, key('a')));
        QVERIFY(feedIdFor(7, key('a')) != feedIdFor(7, key('b')));
    }

    void belowTwoToThe53AndNeverZero()
    {
        for (quint64 room = 1; room < 2000; ++room) {
            const quint64 id = feedIdFor(room, key(char(room)));
            QVERIFY(id != 0);
            QVERIFY(id < (quint64(1) << 53));
        }
    }

    void wrongKeyLengthHasNoId()
    {
        QCOMPARE(feedIdFor(7, QByteArray(31, 'a')), quint64(0));
        QCOMPARE(feedIdFor(7, QByteArray()), quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestFeedId)
#include "tst_feedid.moc"
