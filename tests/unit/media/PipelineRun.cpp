// SPDX-License-Identifier: GPL-3.0-or-later
#include "PipelineRun.h"

namespace conclave::testsupport {
namespace {

struct Tap {
    QList<QByteArray>* into;
};

void keep(GstBuffer* buffer, QList<QByteArray>& into)
{
    GstMapInfo map;
    if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
        into.append(QByteArray(reinterpret_cast<const char*>(map.data), qsizetype(map.size)));
        gst_buffer_unmap(buffer, &map);
    }
}

GstPadProbeReturn keepBuffer(GstPad*, GstPadProbeInfo* info, gpointer data)
{
    auto& into = *static_cast<QList<QByteArray>*>(data);
    if (GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
        list && (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)) {
        for (guint i = 0; i < gst_buffer_list_length(list); ++i)
            keep(gst_buffer_list_get(list, i), into);
    } else {
        keep(GST_PAD_PROBE_INFO_BUFFER(info), into);
    }
    return GST_PAD_PROBE_OK;
}

void countHandoff(GstElement*, GstBuffer*, GstPad*, gpointer data)
{
    ++*static_cast<int*>(data);
}

} // namespace

PipelineRun::PipelineRun(const QString& description)
{
    GError* error = nullptr;
    m_pipeline = gst_parse_launch(description.toUtf8().constData(), &error);
    if (!m_pipeline || error)
        qFatal("pipeline does not parse: %s", error ? error->message : "?");
    GstIterator* it = gst_bin_iterate_sinks(GST_BIN(m_pipeline));
    GValue item = G_VALUE_INIT;
    while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
        auto* sink = static_cast<GstElement*>(g_value_get_object(&item));
        gchar* name = gst_element_get_name(sink);
        int& counter = m_counts[QString::fromUtf8(name)];
        g_free(name);
        if (g_object_class_find_property(G_OBJECT_GET_CLASS(sink), "signal-handoffs"))
            g_signal_connect(sink, "handoff", G_CALLBACK(countHandoff), &counter);
        g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(it);
}

PipelineRun::~PipelineRun()
{
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
    gst_object_unref(m_pipeline);
}

GstElement* PipelineRun::element(const char* name) const
{
    GstElement* e = gst_bin_get_by_name(GST_BIN(m_pipeline), name);
    if (e)
        gst_object_unref(e); // the pipeline keeps it alive
    return e;
}

void PipelineRun::capture(const char* name)
{
    GstPad* pad = gst_element_get_static_pad(element(name), "src");
    gst_pad_add_probe(pad,
                      GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      keepBuffer, &m_captured[QString::fromLatin1(name)], nullptr);
    gst_object_unref(pad);
}

bool PipelineRun::runToEnd(int timeoutMs)
{
    gst_element_set_state(m_pipeline, GST_STATE_PLAYING);
    GstBus* bus = gst_element_get_bus(m_pipeline);
    GstMessage* msg =
        gst_bus_timed_pop_filtered(bus, GstClockTime(timeoutMs) * GST_MSECOND,
                                   GstMessageType(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
    bool clean = false;
    if (!msg) {
        m_error = QStringLiteral("timed out");
    } else if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
        GError* error = nullptr;
        gst_message_parse_error(msg, &error, nullptr);
        m_error = QString::fromUtf8(error->message);
        g_clear_error(&error);
    } else {
        clean = true;
    }
    if (msg)
        gst_message_unref(msg);
    gst_object_unref(bus);
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
    return clean;
}

int PipelineRun::count(const char* name) const
{
    const auto it = m_counts.find(QString::fromLatin1(name));
    return it == m_counts.end() ? -1 : it->second;
}

const QList<QByteArray>& PipelineRun::captured(const char* name) const
{
    static const QList<QByteArray> none;
    const auto it = m_captured.find(QString::fromLatin1(name));
    return it == m_captured.end() ? none : it->second;
}

} // namespace conclave::testsupport
