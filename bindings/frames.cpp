// aoeh.frames: build and parse raw AoE frames (for probes, filters and assertions on captures).
#include <pybind11/stl.h>

#include <array>

#include "bindings/handles.hpp"
#include "protocol/frame.hpp"

namespace aoeh::bindings {
namespace {

using Buffer = std::array<std::uint8_t, proto::kMaxFrameSize>;

proto::Header header(py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, proto::Command cmd,
                     std::uint32_t tag) {
  if (shelf > 0xFFFF || slot > 0xFF) throw py::value_error("shelf must be 0..65535 and slot 0..255");
  proto::Header h;
  h.src = to_mac(src);
  h.dst = to_mac(dst);
  h.shelf = static_cast<std::uint16_t>(shelf);
  h.slot = static_cast<std::uint8_t>(slot);
  h.command = static_cast<std::uint8_t>(cmd);
  h.tag = tag;
  return h;
}

py::bytes finish(const Buffer& b, std::size_t n) {
  if (n == 0) throw py::value_error("frame does not fit (too much data?)");
  return py::bytes(reinterpret_cast<const char*>(b.data()), n);
}

py::bytes ata_frame(py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint32_t tag,
                    const proto::AtaArg& a, const std::vector<std::uint8_t>& data) {
  Buffer b{};
  const auto h = header(src, dst, shelf, slot, proto::Command::Ata, tag);
  return finish(b, proto::encode_ata(b, h, a, data));
}

py::bytes view(proto::ByteSpan s) { return py::bytes(reinterpret_cast<const char*>(s.data()), s.size()); }

}  // namespace

void bind_frames(py::module_& parent) {
  auto m = parent.def_submodule("frames", "Build and parse raw AoE frames (MACs as 'aa:bb:cc:dd:ee:ff' strings).");
  const char* bcast = "ff:ff:ff:ff:ff:ff";

  m.def("query_config",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint32_t tag,
           std::uint8_t ccmd, py::handle config) {
          if (ccmd > 4) throw py::value_error("ccmd must be 0..4 (read, test, test prefix, set, force set)");
          const auto text = config.is_none() ? std::vector<std::uint8_t>{} : to_byte_vector(config, "config");
          if (text.size() > proto::kMaxConfigStringSize) throw py::value_error("config string longer than 1024 bytes");
          Buffer b{};
          proto::QueryConfigArg q;
          q.ccmd = ccmd;
          q.config = text;
          return finish(b, proto::encode_query_config(b, header(src, dst, shelf, slot, proto::Command::QueryConfig, tag), q));
        },
        py::arg("src"), py::arg("dst") = bcast, py::arg("shelf") = 0xFFFF, py::arg("slot") = 0xFF, py::arg("tag") = 0,
        py::arg("ccmd") = 0, py::arg("config") = py::none(), "A Query Config request.");

  m.def("reserve_release",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint8_t rcmd,
           const std::vector<py::object>& macs, std::uint32_t tag) {
          if (rcmd > 2) throw py::value_error("rcmd must be 0 (read), 1 (set) or 2 (force set)");
          std::vector<proto::MacAddress> list;
          for (const auto& x : macs) list.push_back(to_mac(x));
          if (list.size() > 255) throw py::value_error("at most 255 MACs");
          Buffer b{};
          return finish(b, proto::encode_reserve_release(b, header(src, dst, shelf, slot, proto::Command::ReserveRelease, tag),
                                                         rcmd, list));
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("rcmd") = 0,
        py::arg("macs") = std::vector<py::object>{}, py::arg("tag") = 0,
        "A Reserve/Release request: rcmd 0 read, 1 set, 2 force set (an empty set releases).");

  m.def("mac_mask",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint8_t mcmd,
           const std::vector<std::pair<std::uint8_t, py::object>>& directives, std::uint32_t tag) {
          if (mcmd > 1) throw py::value_error("mcmd must be 0 (read) or 1 (edit)");
          std::vector<proto::MacMaskDirective> list;
          for (const auto& [dcmd, mac] : directives) list.push_back(proto::MacMaskDirective{dcmd, to_mac(mac)});
          if (list.size() > 255) throw py::value_error("at most 255 directives");
          Buffer b{};
          return finish(b, proto::encode_mac_mask_list(b, header(src, dst, shelf, slot, proto::Command::MacMaskList, tag),
                                                       mcmd, 0, list));
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("mcmd") = 0,
        py::arg("directives") = std::vector<std::pair<std::uint8_t, py::object>>{}, py::arg("tag") = 0,
        "A Mac Mask List request; directives are (dcmd, mac) with dcmd 1 add, 2 delete.");

  m.def("ata_read",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint64_t lba,
           std::uint8_t count, bool lba48, std::uint32_t tag) {
          return ata_frame(src, dst, shelf, slot, tag, proto::ata_read_arg(lba, count, lba48), {});
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("lba"), py::arg("count") = 1,
        py::arg("lba48") = true, py::arg("tag") = 0);
  m.def("ata_write",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint64_t lba, py::handle data,
           bool lba48, std::uint32_t tag) {
          auto bytes = to_byte_vector(data, "data");
          if (bytes.empty() || bytes.size() % 512 != 0 || bytes.size() / 512 > 255)
            throw py::value_error("data must be 1..255 sectors of 512 bytes");
          return ata_frame(src, dst, shelf, slot, tag,
                           proto::ata_write_arg(lba, static_cast<std::uint8_t>(bytes.size() / 512), lba48), bytes);
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("lba"), py::arg("data"),
        py::arg("lba48") = true, py::arg("tag") = 0);
  m.def("ata_identify",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, std::uint32_t tag) {
          return ata_frame(src, dst, shelf, slot, tag, proto::ata_identify_arg(), {});
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("tag") = 0);
  m.def("ata_flush",
        [](py::handle src, py::handle dst, std::uint32_t shelf, std::uint32_t slot, bool lba48, std::uint32_t tag) {
          return ata_frame(src, dst, shelf, slot, tag, proto::ata_flush_arg(lba48), {});
        },
        py::arg("src"), py::arg("dst"), py::arg("shelf"), py::arg("slot"), py::arg("lba48") = true, py::arg("tag") = 0);

  m.def("parse",
        [](py::handle frame, bool strict) {
          const auto bytes = to_byte_vector(frame, "frame");
          proto::ParseOptions options;
          options.require_version_1 = strict;
          options.reject_reserved = strict;
          const auto parsed = proto::parse_frame(bytes, options);
          if (!parsed) throw py::value_error(std::string("not a valid AoE frame: ") + proto::parse_error_name(parsed.error()));
          const proto::Message& msg = parsed.value();
          const proto::Header& h = msg.header;
          py::dict d;
          d["dst"] = h.dst.to_string();
          d["src"] = h.src.to_string();
          d["version"] = h.version;
          d["response"] = h.is_response();
          d["error_flag"] = h.is_error();
          d["error"] = h.error;
          d["shelf"] = h.shelf;
          d["slot"] = h.slot;
          d["address"] = h.address().to_string();
          d["command"] = h.command;
          d["tag"] = h.tag;
          d["length"] = bytes.size();
          if (const auto* a = msg.ata()) {
            d["kind"] = "ata";
            d["aflags"] = a->arg.aflags;
            d["lba48"] = a->arg.extended();
            d["write"] = a->arg.write();
            d["err_feature"] = a->arg.err_feature;
            d["sector_count"] = a->arg.sector_count;
            d["cmd_status"] = a->arg.cmd_status;
            d["lba"] = a->arg.lba;
            d["data"] = view(a->data);
          } else if (const auto* q = msg.query_config()) {
            d["kind"] = "query_config";
            d["buffer_count"] = q->buffer_count;
            d["firmware"] = q->firmware_version;
            d["sector_count"] = q->sector_count;
            d["aoe_version"] = q->aoe_version;
            d["ccmd"] = q->ccmd;
            d["config"] = view(q->config);
          } else if (const auto* mm = msg.mac_mask_list()) {
            d["kind"] = "mac_mask";
            d["mcmd"] = mm->mcmd;
            d["merror"] = mm->merror;
            py::list dirs;
            for (std::size_t i = 0; i < mm->directive_count; ++i) {
              const auto x = mm->directive(i);
              dirs.append(py::make_tuple(x.dcmd, x.mac.to_string()));
            }
            d["directives"] = dirs;
          } else if (const auto* r = msg.reserve_release()) {
            d["kind"] = "reserve";
            d["rcmd"] = r->rcmd;
            py::list macs;
            for (std::size_t i = 0; i < r->mac_count; ++i) macs.append(r->mac(i).to_string());
            d["macs"] = macs;
          } else {
            d["kind"] = "vendor";
          }
          return d;
        },
        py::arg("frame"), py::arg("strict") = false,
        "Parses an AoE frame into a dict (header fields, 'kind', and the command's fields). "
        "ValueError for frames that are not valid AoE.");
}

}  // namespace aoeh::bindings
