// SPDX-License-Identifier: GPL-3.0-or-later
// Meeting key schedule costs (DESIGN §14: chair COMMIT on removal at N = 100 under 10 ms CPU
// and 16 KB). For N = 10, 100 and 500 roster entries (the chair included) it measures:
//  - the chair's rekey after a removal (N-1 remain, N-2 wraps), build + sign + encode;
//  - the chair's admit of one newcomer into N (one X25519 for the newcomer, one wrap);
//  - a member processing a rekey and an admit (decode, verify, hash, unwrap or ratchet);
// next to a baseline measured in the same run: the bare libsodium calls the operation cannot
// avoid (one XChaCha20-Poly1305 encryption of 32 bytes per wrap plus one Ed25519 signature
// over a message as long as the COMMIT; for members one verification plus one decryption).
// Each timed call is followed by an untimed one that restores the roster size, so every
// sample is taken at exactly N. Prints JSON only.
#include "BenchmarkReport.h"

#include "crypto/ChairKeySchedule.h"
#include "crypto/MemberKeySchedule.h"

#include <sodium.h>

#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace conclave;
using namespace conclave::crypto;
using conclave::bench::Timing;

namespace {

double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

/// Per-call wall and CPU time of `timed`, with `untimed` run between calls.
struct Sampled {
    Timing wall;
    double cpuNsPerOp = 0;
};

Sampled sample(int count, const std::function<void()>& timed, const std::function<void()>& untimed)
{
    using Clock = std::chrono::steady_clock;
    std::vector<double> wall;
    double cpu = 0;
    timed(); // warm-up, outside the samples
    untimed();
    for (int i = 0; i < count; ++i) {
        const double cpuStart = cpuNow();
        const auto start = Clock::now();
        timed();
        const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
        cpu += cpuNow() - cpuStart;
        wall.push_back(elapsed.count());
        untimed();
    }
    std::sort(wall.begin(), wall.end());
    return {{wall[wall.size() / 2], wall.front(), 1, count}, cpu / count};
}

/// A member device ready to be admitted.
struct Newcomer {
    Ed25519SigningKey identity = Ed25519SigningKey::generate();
    EphemeralKeyPair ephemeral = EphemeralKeyPair::generate();
    Admission admission;
};

std::unique_ptr<Newcomer> newcomer(const MeetingId& meeting, int number)
{
    auto n = std::make_unique<Newcomer>();
    // Names of 24 bytes, a typical "Firstname Lastname" with a suffix.
    std::string name = "Participant Name " + std::to_string(100000 + number);
    name.resize(24, '.');
    n->admission = {EphemeralAnnouncement::create(n->identity, meeting, n->ephemeral.publicKey()),
                    MemberRole::Participant, name};
    return n;
}

/// A chair with n roster entries and one member device (index 1) following every COMMIT.
struct Meeting {
    MeetingId id = MeetingId::random();
    Ed25519SigningKey chairKey = Ed25519SigningKey::generate();
    std::unique_ptr<ChairKeySchedule> chair;
    std::unique_ptr<MemberKeySchedule> member;
    int made = 0;

    explicit Meeting(size_t n)
    {
        chair = std::make_unique<ChairKeySchedule>(
            std::move(ChairKeySchedule::start(
                          Ed25519SigningKey::fromSecret(chairKey.secret().view()).value(),
                          EphemeralKeyPair::generate(), id, Commit::kSuiteChaCha20Poly1305Sha256,
                          "Chair of the meeting"))
                .value());
        std::vector<Admission> admissions;
        auto first = newcomer(id, made++);
        member = std::make_unique<MemberKeySchedule>(
            first->identity.publicKey(),
            EphemeralKeyPair::fromSecret(first->ephemeral.secret().view()).value(), id,
            chairKey.publicKey());
        admissions.push_back(first->admission);
        while (admissions.size() + 1 < n)
            admissions.push_back(newcomer(id, made++)->admission);
        auto commit = chair->admit(admissions);
        if (!commit || !member->process(commit->encode()))
            std::abort();
    }

    /// The last roster entry other than the chair and the following member.
    uint32_t victim() const { return chair->roster().entries().back().index; }
};

/// The unavoidable libsodium work of a chair COMMIT: `wraps` AEAD encryptions of 32 bytes and
/// one signature over `messageSize` bytes.
Timing chairBaseline(size_t wraps, size_t messageSize, int iterations, int repetitions)
{
    const SecureBuffer key = SecureBuffer::random(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    const SecureBuffer secret = SecureBuffer::random(32);
    const auto signer = Ed25519SigningKey::generate();
    const Bytes message(messageSize, 0x5a);
    Bytes nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, 0);
    Bytes out(32 + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    return bench::measure(
        [&] {
            for (size_t i = 0; i < wraps; ++i) {
                nonce[0] = uint8_t(i);
                crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, secret.data(), 32,
                                                           nullptr, 0, nullptr, nonce.data(),
                                                           key.data());
            }
            (void)signer.sign(message);
        },
        iterations, repetitions);
}

/// The unavoidable libsodium work of a member: one verification over `messageSize` bytes, and
/// one AEAD decryption of a wrap when it unwraps (rekey) rather than ratchets (admit).
Timing memberBaseline(size_t messageSize, bool unwraps, int iterations, int repetitions)
{
    const SecureBuffer key = SecureBuffer::random(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    const auto signer = Ed25519SigningKey::generate();
    const Bytes message(messageSize, 0x5a);
    const Bytes signature = signer.sign(message);
    const Bytes nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, 0);
    Bytes wrap(48);
    crypto_aead_xchacha20poly1305_ietf_encrypt(wrap.data(), nullptr, key.data(), 32, nullptr, 0,
                                               nullptr, nonce.data(), key.data());
    Bytes plain(32);
    return bench::measure(
        [&] {
            if (!verifyEd25519(signer.publicKey(), message, signature) ||
                (unwraps && crypto_aead_xchacha20poly1305_ietf_decrypt(
                                plain.data(), nullptr, nullptr, wrap.data(), wrap.size(), nullptr,
                                0, nonce.data(), key.data()) != 0))
                std::abort();
        },
        iterations, repetitions);
}

QJsonObject result(const char* name, size_t n, const Sampled& s, size_t bytes, const Timing& base)
{
    return {{QStringLiteral("name"), QString::fromLatin1(name)},
            {QStringLiteral("n"), qint64(n)},
            {QStringLiteral("bytes"), qint64(bytes)},
            {QStringLiteral("timing"), s.wall.toJson()},
            {QStringLiteral("cpu_ns_per_op"), s.cpuNsPerOp},
            {QStringLiteral("baseline"), base.toJson()},
            {QStringLiteral("ratio"), s.wall.nsPerOp / base.nsPerOp}};
}

} // namespace

int main(int argc, char* argv[])
{
    bench::BenchmarkReport report(QStringLiteral("bench_keyschedule"), argc, argv);
    if (sodium_init() < 0)
        return 1;
    for (size_t n : {size_t(10), size_t(100), size_t(500)}) {
        Meeting m(n);
        const int samples = report.iterations(n >= 500 ? 200 : 1000);

        // Chair: rekey after removing one member; then re-admit someone (untimed) so the next
        // sample again starts from N entries.
        size_t rekeyBytes = 0;
        std::vector<Bytes> rekeys; // for the member measurement below
        const auto rekey = sample(
            samples,
            [&] {
                const uint32_t victim[] = {m.victim()};
                auto commit =
                    m.chair->rekey(CommitReason::Removed, *m.chair->roster().without(victim));
                const Bytes wire = commit->encode();
                rekeyBytes = wire.size();
                rekeys.push_back(wire);
            },
            [&] {
                auto commit = m.chair->admit({newcomer(m.id, m.made++)->admission});
                rekeys.push_back(commit->encode());
            });
        const Timing rekeyBase =
            chairBaseline(n - 2, rekeyBytes, report.iterations(50), report.quick() ? 3 : 15);
        QJsonObject r = result("chair_rekey_after_removal", n, rekey, rekeyBytes, rekeyBase);
        r.insert(QStringLiteral("wraps"), qint64(n - 2));
        if (n == 100) {
            r.insert(QStringLiteral("target_cpu_ns"), 10e6);
            r.insert(QStringLiteral("target_bytes"), 16 * 1024);
            r.insert(QStringLiteral("meets_target"),
                     rekey.cpuNsPerOp < 10e6 && rekeyBytes < 16 * 1024);
        }
        report.add(r);

        // Member: replay the chair's COMMITs above in order; time only the rekeys.
        // Both lists hold warm-up + samples pairs, which is what sample() consumes.
        size_t index = 0;
        const auto memberRekey = sample(
            samples,
            [&] {
                if (!m.member->process(rekeys[index++]))
                    std::abort();
            },
            [&] {
                if (!m.member->process(rekeys[index++]))
                    std::abort();
            });
        report.add(result(
            "member_process_rekey", n, memberRekey, rekeyBytes,
            memberBaseline(rekeyBytes, true, report.iterations(200), report.quick() ? 3 : 15)));

        // Chair: admit one newcomer into N; then remove it again (untimed).
        std::vector<std::unique_ptr<Newcomer>> waiting;
        for (int i = 0; i < samples + 1; ++i)
            waiting.push_back(newcomer(m.id, m.made++));
        size_t next = 0;
        size_t admitBytes = 0;
        std::vector<Bytes> admits;
        const auto admit = sample(
            samples,
            [&] {
                auto commit = m.chair->admit({waiting[next++]->admission});
                const Bytes wire = commit->encode();
                admitBytes = wire.size();
                admits.push_back(wire);
            },
            [&] {
                const uint32_t newest[] = {m.victim()};
                auto commit =
                    m.chair->rekey(CommitReason::Left, *m.chair->roster().without(newest));
                admits.push_back(commit->encode());
            });
        const Timing admitBase =
            chairBaseline(1, admitBytes, report.iterations(200), report.quick() ? 3 : 15);
        report.add(result("chair_admit_one", n, admit, admitBytes, admitBase));

        index = 0;
        const auto memberAdmit = sample(
            samples,
            [&] {
                if (!m.member->process(admits[index++]))
                    std::abort();
            },
            [&] {
                if (!m.member->process(admits[index++]))
                    std::abort();
            });
        report.add(result(
            "member_process_admit", n, memberAdmit, admitBytes,
            memberBaseline(admitBytes, false, report.iterations(200), report.quick() ? 3 : 15)));
    }
    return report.finish();
}
