// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/SpkiPin.h"
#include "tls/TlsIdentity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace conclave;

namespace {

// Files larger than `bytes` cannot be written while this lives: write(2) fails with EFBIG, as
// it fails with ENOSPC on a full disk, part way through a file. Unprivileged and per process.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_saved);
        m_handler = std::signal(SIGXFSZ, SIG_IGN); // else the kernel ends the process
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }

private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
};

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden);
}

} // namespace

class TestTlsIdentity : public QObject {
    Q_OBJECT

private slots:
    void createsOnceThenReloadsTheSameKey()
    {
        QTemporaryDir dir;
        auto first = tls::TlsIdentity::loadOrCreate(dir.path(), QStringLiteral("conclave-hub"));
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QCOMPARE(first->spkiPin.size(), 44); // base64 of 32 bytes
        QCOMPARE(QFile::permissions(dir.path() + "/hub-key.pem") &
                     (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        auto second = tls::TlsIdentity::loadOrCreate(dir.path(), QStringLiteral("conclave-hub"));
        QVERIFY(second.ok());
        QCOMPARE(second->spkiPin, first->spkiPin);

        QTemporaryDir other;
        auto third = tls::TlsIdentity::loadOrCreate(other.path(), QStringLiteral("conclave-hub"));
        QVERIFY(third.ok());
        QVERIFY(third->spkiPin != first->spkiPin);
    }

    void refusesDamagedOrExposedIdentities()
    {
        QTemporaryDir dir;
        QVERIFY(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").ok());
        const QString key = dir.path() + "/hub-key.pem";
        const QString cert = dir.path() + "/hub-cert.pem";

        QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        QCOMPARE(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").error().code,
                 std::string("tls.key_exposed"));
        QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner);

        // Someone else's certificate beside our key.
        QTemporaryDir other;
        QVERIFY(tls::TlsIdentity::loadOrCreate(other.path(), "hub").ok());
        const QByteArray original = [&] {
            QFile f(cert);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        QFile::remove(cert);
        QVERIFY(QFile::copy(other.path() + "/hub-cert.pem", cert));
        QCOMPARE(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").error().code,
                 std::string("tls.mismatch"));

        QFile::remove(cert);
        auto missing = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
        QCOMPARE(missing.error().code, std::string("tls.incomplete"));
        QVERIFY(QFile::exists(key)); // nothing was replaced
        QFile restored(cert);
        QVERIFY(restored.open(QIODevice::WriteOnly));
        restored.write(original);
        restored.close();
        QVERIFY(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").ok());
    }

    void aFullDiskAtFirstStartLeavesNothingThatBlocksTheNextStart()
    {
        QTemporaryDir dir;
        {
            const FileSizeLimit full(100); // a PEM key is about 240 bytes
            auto failed = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
            QVERIFY(!failed.ok());
            QCOMPARE(failed.error().code, std::string("tls.disk_full"));
        }
        QCOMPARE(filesIn(dir.path()), QStringList()); // no empty or half-written key file
        auto next = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
        QVERIFY2(next.ok(), next.ok() ? "" : next.error().message.c_str());
        QCOMPARE(filesIn(dir.path()), (QStringList{"hub-cert.pem", "hub-key.pem"}));
    }

    void emptyFilesLeftByAnEarlierVersionCountAsAbsent()
    {
        QTemporaryDir dir;
        const QString key = dir.path() + "/hub-key.pem";
        QFile empty(key);
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        auto made = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        QVERIFY(QFileInfo(key).size() > 0);

        // A key that holds something is never replaced, even when its certificate is empty.
        QFile cert(dir.path() + "/hub-cert.pem");
        QVERIFY(cert.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cert.close();
        auto incomplete = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
        QCOMPARE(incomplete.error().code, std::string("tls.incomplete"));
        QVERIFY(QFileInfo(key).size() > 0);
    }

    void refusesAKeyOthersMayWrite()
    {
        QTemporaryDir dir;
        QVERIFY(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").ok());
        const QString key = dir.path() + "/hub-key.pem";
        for (const auto extra : {QFile::WriteOther, QFile::WriteGroup}) {
            QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner | extra);
            auto refused = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, std::string("tls.key_exposed"));
            QVERIFY(refused.error().message.find("chmod 600") != std::string::npos);
        }
        QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(tls::TlsIdentity::loadOrCreate(dir.path(), "hub").ok());
    }

    void aClientSeesThePinOverARealHandshake()
    {
        QTemporaryDir dir;
        auto identity = tls::TlsIdentity::loadOrCreate(dir.path(), "hub");
        QVERIFY(identity.ok());
        QSslServer server;
        QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
        serverConfig.setLocalCertificate(identity->certificate);
        serverConfig.setPrivateKey(identity->key);
        server.setSslConfiguration(serverConfig);
        QVERIFY(server.listen(QHostAddress::LocalHost));

        QSslSocket client;
        QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
        clientConfig.setPeerVerifyMode(QSslSocket::QueryPeer); // trust comes from the pin
        client.setSslConfiguration(clientConfig);
        client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000); // both ends share this event loop
        auto pin = tls::spkiSha256(client.peerCertificate());
        QVERIFY(pin.ok());
        QCOMPARE(*pin, identity->spkiPin);
        QCOMPARE(tls::spkiSha256(QSslCertificate()).error().code,
                 std::string("tls.no_certificate"));
    }
};

QTEST_GUILESS_MAIN(TestTlsIdentity)
#include "tst_tlsidentity.moc"
