// InputBuffer: grows for a large message and gives the memory back once it is consumed, so an
// idle connection holds at most kInitialCapacity bytes.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "net/input_buffer.h"

namespace pgw {
namespace {

// Reads `bytes` into the buffer the way a connection does: fill what PrepareRead offers.
void Feed(InputBuffer* in, const std::string& bytes) {
  size_t done = 0;
  for (int i = 0; done < bytes.size() && i < 10000; ++i) {
    std::span<char> room = in->PrepareRead();
    size_t n = std::min(room.size(), bytes.size() - done);
    std::memcpy(room.data(), bytes.data() + done, n);
    in->CommitRead(n, room.size());
    done += n;
  }
  ASSERT_EQ(done, bytes.size());
}

TEST(InputBufferTest, ShrinksBackAfterALargeMessage) {
  InputBuffer in;
  const std::string big(4u << 20, 'x');  // a 4 MiB message
  Feed(&in, big);
  EXPECT_EQ(in.data(), big);
  EXPECT_GE(in.capacity(), big.size());
  in.Consume(in.size());
  EXPECT_EQ(in.capacity(), 0u);  // released: the next read starts small again
  std::span<char> room = in.PrepareRead();
  EXPECT_EQ(room.size(), InputBuffer::kInitialCapacity);
}

TEST(InputBufferTest, KeepsPartialDataAndSmallCapacity) {
  InputBuffer in;
  Feed(&in, "hello world");
  in.Consume(6);
  EXPECT_EQ(in.data(), "world");
  EXPECT_EQ(in.capacity(), InputBuffer::kInitialCapacity);
  in.Consume(5);
  EXPECT_EQ(in.size(), 0u);
  EXPECT_EQ(in.capacity(), InputBuffer::kInitialCapacity);  // small buffers are kept
}

}  // namespace
}  // namespace pgw
