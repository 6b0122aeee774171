// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/DeviceList.h"

#include "media/MediaElements.h"

namespace conclave::media {
namespace {

/// A stable name for a device: its node path or name where the provider gives one.
QString idOf(GstDevice* device)
{
    GstStructure* props = gst_device_get_properties(device);
    QString id;
    for (const char* key : {"device.path", "node.name", "device.name", "api.v4l2.path"}) {
        const char* value = props ? gst_structure_get_string(props, key) : nullptr;
        if (value) {
            id = QString::fromUtf8(value);
            break;
        }
    }
    if (props)
        gst_structure_free(props);
    if (id.isEmpty()) {
        gchar* name = gst_device_get_display_name(device);
        id = QString::fromUtf8(name);
        g_free(name);
    }
    return id;
}

template <typename F>
void forEachDevice(F&& visit)
{
    if (!initialiseMedia())
        return;
    GstDeviceMonitor* monitor = gst_device_monitor_new();
    gst_device_monitor_add_filter(monitor, "Video/Source", nullptr);
    gst_device_monitor_add_filter(monitor, "Audio/Source", nullptr);
    if (!gst_device_monitor_start(monitor)) {
        gst_object_unref(monitor);
        return;
    }
    GList* devices = gst_device_monitor_get_devices(monitor);
    for (GList* it = devices; it; it = it->next) {
        auto* device = static_cast<GstDevice*>(it->data);
        const bool camera = gst_device_has_classes(device, "Video/Source");
        if (visit(device, camera ? MediaDevice::Kind::Camera : MediaDevice::Kind::Microphone))
            break;
    }
    g_list_free_full(devices, gst_object_unref);
    gst_device_monitor_stop(monitor);
    gst_object_unref(monitor);
}

} // namespace

std::vector<MediaDevice> DeviceList::list()
{
    std::vector<MediaDevice> out;
    forEachDevice([&](GstDevice* device, MediaDevice::Kind kind) {
        gchar* name = gst_device_get_display_name(device);
        out.push_back({kind, idOf(device), QString::fromUtf8(name)});
        g_free(name);
        return false;
    });
    return out;
}

GstElement* DeviceList::createSource(MediaDevice::Kind kind, const QString& id)
{
    GstElement* source = nullptr;
    forEachDevice([&](GstDevice* device, MediaDevice::Kind found) {
        if (found != kind || (!id.isEmpty() && idOf(device) != id))
            return false;
        source = gst_device_create_element(device, nullptr);
        return source != nullptr;
    });
    return source;
}

GstElement* DeviceList::createScreenSource()
{
    if (!initialiseMedia())
        return nullptr;
    if (!qEnvironmentVariableIsEmpty("DISPLAY"))
        if (GstElement* x11 = gst_element_factory_make("ximagesrc", nullptr)) {
            g_object_set(x11, "use-damage", FALSE, nullptr);
            return x11;
        }
    if (!qEnvironmentVariableIsEmpty("PIPEWIRE_REMOTE") ||
        !qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        if (GstElement* pipewire = gst_element_factory_make("pipewiresrc", nullptr))
            return pipewire;
    return nullptr;
}

} // namespace conclave::media
