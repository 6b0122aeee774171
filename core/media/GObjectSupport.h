// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Small helpers for writing GStreamer elements in C++ without GLib's C-cast macros
// (internal to core/media).

#include "crypto/Bytes.h"

#include <gst/gst.h>

#include <span>

namespace conclave::media {

/// Registers a GObject type whose instance and class structs are `Instance` and `Class`.
template <typename Instance, typename Class>
GType registerType(GType parent, const char* name, GClassInitFunc classInit,
                   GInstanceInitFunc instanceInit)
{
    GTypeInfo info{};
    info.class_size = sizeof(Class);
    info.class_init = classInit;
    info.instance_size = sizeof(Instance);
    info.instance_init = instanceInit;
    return g_type_register_static(parent, name, &info, GTypeFlags(0));
}

/// A GstBuffer mapped for the lifetime of this object.
class MappedBuffer {
public:
    MappedBuffer(GstBuffer* buffer, GstMapFlags flags) : m_buffer(buffer)
    {
        m_ok = gst_buffer_map(buffer, &m_info, flags);
    }
    ~MappedBuffer() { release(); }
    MappedBuffer(const MappedBuffer&) = delete;
    MappedBuffer& operator=(const MappedBuffer&) = delete;

    bool ok() const { return m_ok; }
    crypto::ByteView view() const { return {m_info.data, m_info.size}; }
    std::span<uint8_t> span() { return {m_info.data, m_info.size}; }
    /// Unmaps early (e.g. before resizing the buffer).
    void release()
    {
        if (m_ok)
            gst_buffer_unmap(m_buffer, &m_info);
        m_ok = false;
    }

private:
    GstBuffer* m_buffer;
    GstMapInfo m_info{};
    bool m_ok = false;
};

} // namespace conclave::media
