// DNS messages as the embedded server needs them: the first question, A answers, truncation for
// UDP, and the host's nameservers.  Pure functions.
#include "base/strings.h"
#include "network/dns.h"

namespace berth::network {

bool parse_question(const std::string& p, std::string* name, uint16_t* qtype, size_t* end) {
  if (p.size() < 12) return false;
  size_t i = 12;
  name->clear();
  while (i < p.size()) {
    auto len = static_cast<unsigned char>(p[i++]);
    if (len == 0) break;
    if (len > 63 || i + len > p.size()) return false;
    if (!name->empty()) *name += '.';
    *name += to_lower(p.substr(i, len));
    i += len;
  }
  if (i + 4 > p.size()) return false;
  *qtype = static_cast<uint16_t>((static_cast<unsigned char>(p[i]) << 8) |
                                 static_cast<unsigned char>(p[i + 1]));
  *end = i + 4;
  return true;
}

std::string make_reply(const std::string& q, size_t qend, const std::vector<uint32_t>& ips,
                       bool nxdomain) {
  std::string r = q.substr(0, qend);
  r[2] = static_cast<char>(0x80 | (q[2] & 0x01) | (q[2] & 0x78) | 0x04);  // QR, AA, RD copied
  r[3] = static_cast<char>(0x80 | (nxdomain ? 3 : 0));                    // RA, rcode
  r[4] = 0, r[5] = 1;                                                     // one question
  size_t count = ips.size() > 0xffff ? 0xffff : ips.size();
  r[6] = static_cast<char>(count >> 8), r[7] = static_cast<char>(count & 0xff);
  r[8] = r[9] = r[10] = r[11] = 0;
  for (size_t n = 0; n < count; ++n) {
    const char rr[] = {'\xc0', '\x0c', 0, 1, 0, 1, 0, 0, 0, 10, 0, 4};  // name ptr, A, IN, TTL 10
    r.append(rr, sizeof rr);
    for (int s = 24; s >= 0; s -= 8) r += static_cast<char>((ips[n] >> s) & 0xff);
  }
  return r;
}

std::string truncate_for_udp(const std::string& reply, size_t question_end) {
  if (reply.size() <= kDnsUdpMax || question_end > reply.size()) return reply;
  // RFC 1035 4.2.1 / RFC 7766: over UDP, a reply that does not fit is cut to its question with
  // TC set; the client asks again over TCP.
  std::string r = reply.substr(0, question_end);
  r[2] = static_cast<char>(r[2] | 0x02);
  r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
  return r;
}

std::vector<std::string> nameservers(const std::string& resolv_conf, bool skip_loopback) {
  std::vector<std::string> out;
  for (auto& line : split(resolv_conf, '\n')) {
    auto fields = split(trim(line), ' ');
    if (fields.size() < 2 || fields[0] != "nameserver") continue;
    std::string ns = trim(fields.back());
    if (skip_loopback && (ns.rfind("127.", 0) == 0 || ns == "::1")) continue;
    out.push_back(ns);
  }
  return out;
}

}  // namespace berth::network
