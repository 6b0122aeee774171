// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Frames, keys and helpers shared by the SFrame tests.
#include "crypto/ClearPrefix.h"
#include "crypto/SframeCipherSuite.h"
#include "crypto/SframeHeader.h"
#include "crypto/SframeKeys.h"
#include "crypto/SframeReceiver.h"
#include "crypto/SframeSender.h"

#include "TestPaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <unordered_set>

namespace conclave::crypto::sframetest {

using conclave::TimePoint;

enum class Kind { Opus, Vp8Key, Vp8Delta };

inline MediaCodec codecOf(Kind kind)
{
    return kind == Kind::Opus ? MediaCodec::Opus : MediaCodec::Vp8;
}

inline size_t prefixOf(Kind kind)
{
    return kind == Kind::Opus ? 0 : kind == Kind::Vp8Key ? 10 : 3;
}

/// A frame whose first byte marks a VP8 keyframe (bit 0 clear) or delta frame (bit 0 set).
inline Bytes makeFrame(Kind kind, size_t size, uint32_t seed = 1)
{
    Bytes frame(size);
    for (size_t i = 0; i < size; ++i)
        frame[i] = static_cast<uint8_t>(i * 131 + seed * 7 + (i >> 8));
    if (kind != Kind::Opus && size > 0)
        frame[0] = kind == Kind::Vp8Key ? 0x50 : 0x51;
    return frame;
}

inline Bytes randomKey(size_t size = 32)
{
    Bytes key(size);
    randombytes_buf(key.data(), size);
    return key;
}

inline Bytes concat(Bytes a, ByteView b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline Bytes hexField(const QJsonObject& o, const char* name)
{
    return fromHex(o.value(QLatin1String(name)).toString().toStdString()).value_or(Bytes{});
}

inline Bytes bytesOf(const SecureBuffer& b)
{
    return Bytes(b.data(), b.data() + b.size());
}

/// RFC 9605 §4.5 parameters of the five suites in the vectors.
inline SuiteParameters rfcSuite(int id)
{
    switch (id) {
    case 1:
    case 2:
    case 3:
        return {uint16_t(id), HashAlgorithm::Sha256, 48, 12, 0};
    case 4:
        return {4, HashAlgorithm::Sha256, 16, 12, 16};
    case 5:
        return {5, HashAlgorithm::Sha512, 32, 12, 16};
    default:
        return {};
    }
}

constexpr uint64_t makeKid(uint64_t ctx, uint64_t index, uint64_t epoch)
{
    return ctx << 20 | index << 4 | (epoch % 16); // docs/e2ee.md §3, S = 16, E = 4
}

inline TimePoint at(int seconds)
{
    return TimePoint{} + std::chrono::hours(480000) + std::chrono::seconds(seconds);
}

inline void addSuiteRows()
{
    QTest::addColumn<CipherSuite>("suite");
    QTest::newRow("AES-256-GCM") << CipherSuite::Aes256GcmSha512_128;
    QTest::newRow("ChaCha20-Poly1305") << CipherSuite::ChaCha20Poly1305Sha256;
}

#define SKIP_IF_UNAVAILABLE(suite)                                                                 \
    if (!checkSuiteAvailable(suite))                                                               \
    QSKIP("this CPU lacks AES-NI/PCLMUL, so AES-256-GCM cannot run here")

} // namespace conclave::crypto::sframetest

Q_DECLARE_METATYPE(conclave::crypto::CipherSuite)
Q_DECLARE_METATYPE(conclave::crypto::MediaCodec)
