// Reading and writing HTTP/1.1 message heads on a socket; shared by the server, the client and
// the tests.  Writes use send(MSG_NOSIGNAL) so a peer that went away is an error, not SIGPIPE.
#pragma once

#include <string>
#include <string_view>

#include "api/http/message.h"

namespace berth::api::http {

// Writes all of `data`; sockets get MSG_NOSIGNAL, other fds (pipes in tests) plain write().
Status send_all(int fd, std::string_view data);

// Reads one request head and sets up its body reader.  Unavailable at a clean EOF before it.
Result<Request> read_request(Stream& stream);

struct ResponseHead {
  int status = 0;
  std::string reason;
  Headers headers;
};
Result<ResponseHead> read_response_head(Stream& stream);
// How a response's body is delimited, from the request method and the head.
BodyReader::Mode response_body_mode(const std::string& method, const ResponseHead& head,
                                    size_t* length);

// "POST /x HTTP/1.1\r\nHost: berth\r\n" + headers + Content-Length when body or has_body.
std::string format_request(const std::string& method, const std::string& target,
                           const Headers& headers, std::string_view body, bool send_length);

}  // namespace berth::api::http
