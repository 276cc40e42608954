#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "api/client/client.h"
#include "api/http/server.h"
#include "api/http/wire.h"

namespace berth::api {
namespace {

using http::Request;
using http::ResponseWriter;

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-http-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    address_ = "unix://" + dir_ + "/api.sock";
  }
  void TearDown() override {
    if (server_) server_->shutdown();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    ::unlink((dir_ + "/api.sock").c_str());
    ::rmdir(dir_.c_str());
  }
  void start(http::Handler handler) {
    auto server = http::Server::listen(address_, std::move(handler));
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(server).value();
    thread_ = std::thread([this] { server_->serve(); });
  }

  std::string dir_;
  std::string address_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

void echo_handler(Request& req, ResponseWriter& w) {
  if (req.path == "/stream") {
    ASSERT_TRUE(w.begin_stream(200, "application/json").ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(w.write("{\"n\":" + std::to_string(i) + "}\n").ok());
    ASSERT_TRUE(w.end().ok());
    return;
  }
  if (req.path == "/attach") {
    std::string buffered;
    auto fd = w.hijack(req, "application/vnd.docker.raw-stream", &buffered);
    ASSERT_TRUE(fd.ok());
    std::string got = buffered;
    char buf[256];
    while (got.size() < 5) {
      ssize_t n = ::read(fd->get(), buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    ASSERT_TRUE(http::send_all(fd->get(), "echo:" + got).ok());
    return;
  }
  auto body = req.body.read_all();
  ASSERT_TRUE(body.ok());
  w.headers().set("Api-Version", "1.50");
  std::string q = req.query_value("a");
  ASSERT_TRUE(
      w.send(200, req.method + " " + req.path + " a=" + q + " body=" + *body, "text/plain").ok());
}

TEST_F(HttpTest, SocketIsReplacedAndMode0660) {
  ASSERT_EQ(::close(::creat((dir_ + "/api.sock").c_str(), 0600)), 0);
  auto bad = http::Server::listen(address_, echo_handler);
  EXPECT_FALSE(bad.ok());  // a regular file is not replaced
  ::unlink((dir_ + "/api.sock").c_str());
  start(echo_handler);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/api.sock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
}

TEST_F(HttpTest, WholeResponse) {
  start(echo_handler);
  Client client(address_);
  client.set_version_prefix("/v1.50");
  auto resp = client.request("POST", "/containers/create?a=x%20y&b=1", "{\"Image\":\"busybox\"}");
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->headers.get("api-version"), "1.50");
  EXPECT_EQ(resp->body, "POST /v1.50/containers/create a=x y body={\"Image\":\"busybox\"}");
}

TEST_F(HttpTest, HeadHasNoBody) {
  start(echo_handler);
  Client client(address_);
  auto resp = client.request("HEAD", "/_ping");
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "");
}

TEST_F(HttpTest, ChunkedStream) {
  start(echo_handler);
  Client client(address_);
  auto resp = client.stream("GET", "/stream");
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  EXPECT_EQ(resp->headers.get("Transfer-Encoding"), "chunked");
  for (int i = 0; i < 3; ++i) {
    auto line = resp->read_line();
    ASSERT_TRUE(line.ok());
    EXPECT_EQ(*line, "{\"n\":" + std::to_string(i) + "}");
  }
  EXPECT_FALSE(resp->read_line().ok());
}

TEST_F(HttpTest, HijackBothWays) {
  start(echo_handler);
  Client client(address_);
  auto h = client.hijack("POST", "/attach?stream=1");
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ(h->content_type, "application/vnd.docker.raw-stream");
  ASSERT_TRUE(http::send_all(h->fd.get(), "hello").ok());
  ASSERT_EQ(::shutdown(h->fd.get(), SHUT_WR), 0);
  std::string got = h->buffered;
  char buf[256];
  ssize_t n;
  while ((n = ::read(h->fd.get(), buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(got, "echo:hello");
}

TEST_F(HttpTest, HijackErrorCarriesMessage) {
  start([](Request& req, ResponseWriter& w) {
    (void)req;
    (void)w.send(404, "{\"message\":\"No such container: x\"}");
  });
  Client client(address_);
  auto h = client.hijack("POST", "/containers/x/attach");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().code, Code::kNotFound);
  EXPECT_EQ(h.error().message, "No such container: x");
}

TEST_F(HttpTest, KeepAliveTwoRequestsOneConnection) {
  start(echo_handler);
  Client client(address_);
  auto fd = client.connect();
  ASSERT_TRUE(fd.ok());
  std::string two =
      "GET /one?a=1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  ASSERT_TRUE(http::send_all(fd->get(), two).ok());
  http::Stream stream(fd->get());
  for (const char* want : {"GET /one a=1 body=", "POST /two a= body=abc"}) {
    auto head = http::read_response_head(stream);
    ASSERT_TRUE(head.ok()) << head.error().message;
    size_t len = 0;
    auto mode = http::response_body_mode("GET", *head, &len);
    http::BodyReader body(&stream, mode, len);
    auto text = body.read_all();
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, want);
  }
}

TEST_F(HttpTest, ChunkedRequestBody) {
  start(echo_handler);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string big(200000, 'x');
  std::thread writer([&] {
    (void)http::send_all(fds[1], big);
    ::close(fds[1]);
  });
  Client client(address_);
  auto resp = client.stream_upload("POST", "/images/load", fds[0], "application/x-tar");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  auto body = resp->read_all();
  ASSERT_TRUE(body.ok());
  EXPECT_TRUE(*body == "POST /images/load a= body=" + big) << body->size();
}

TEST_F(HttpTest, ConnectFailsUnavailable) {
  Client client("unix://" + dir_ + "/none.sock");
  auto resp = client.request("GET", "/_ping");
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error().code, Code::kUnavailable);
}

TEST(HttpQuery, Parse) {
  auto q = http::parse_query("a=1&b=x%20y&c=p+q&flag");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[1].second, "x y");
  EXPECT_EQ(q[2].second, "p q");
  EXPECT_EQ(q[3].first, "flag");
  EXPECT_EQ(http::percent_encode("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(http::percent_decode("%zz%41", false), "%zzA");
}

}  // namespace
}  // namespace berth::api

namespace berth::api {
namespace {

TEST_F(HttpTest, ClientGoneIsSeen) {
  std::atomic<bool> gone{false};
  start([&](Request& req, ResponseWriter& w) {
    (void)req;
    (void)w.begin_stream(200, "application/json");
    for (int i = 0; i < 200 && !w.client_gone(); ++i) ::usleep(10000);
    gone = w.client_gone();
  });
  Client client(address_);
  {
    auto resp = client.stream("POST", "/wait");
    ASSERT_TRUE(resp.ok());
  }  // dropped, as the docker CLI drops the wait of `run -d`
  for (int i = 0; i < 300 && !gone; ++i) ::usleep(10000);
  EXPECT_TRUE(gone.load());
}

}  // namespace
}  // namespace berth::api
