// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gst/gst.h>

namespace conclave::media {

/// `conclavevp8pay`: RTP payloader for VP8 (RFC 7741) that does not look inside the frame.
/// GStreamer 1.22's rtpvp8pay parses the frame to split it at partition boundaries, which
/// fails on SFrame ciphertext; this one only prepends the one-byte payload descriptor (S set on
/// a frame's first packet, partition 0), splits the frame to fit the MTU and sets the RTP
/// marker on its last packet. rtpvp8depay takes the result as it is: the VP8 frame header it
/// peeks at stays in SFrame's clear prefix (docs/e2ee.md §2).
namespace vp8_payloader {

GType type();
/// The payload descriptor byte of a frame's first packet and of the others.
inline constexpr guint8 kStartOfFrame = 0x10;
inline constexpr guint8 kContinuation = 0x00;

} // namespace vp8_payloader
} // namespace conclave::media
