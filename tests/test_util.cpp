// The small utilities: CSV reading and name suggestions.
#include <catch2/catch.hpp>

#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

using elaa::CsvTable;

TEST_CASE("CSV fields may be quoted and hold commas, quotes and newlines", "[util][csv]") {
    const auto t = CsvTable::parse("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\r\n", "t.csv");
    REQUIRE(t.rows() == 2);
    CHECK(t.at(0, "b") == "x, y");
    CHECK(t.at(0, "c") == "say \"hi\"");
    CHECK(t.at(1, "b") == "two\nlines");
    CHECK(t.at(1, "c").empty());
    CHECK(t.line_of(1) == 3);
    CHECK(*t.number(0, "a") == 1.0);
    CHECK_FALSE(t.number(1, "c").has_value());
}

TEST_CASE("malformed CSV is an error naming the file and line", "[util][csv]") {
    CHECK_THROWS_WITH(CsvTable::parse("a,b\n1,2\n3\n", "bad.csv"), "bad.csv:3: expected 2 fields, found 1");
    CHECK_THROWS_WITH(CsvTable::parse("a,b\n1,\"open\n", "q.csv"), "q.csv:2: unterminated quoted field");
    const auto t = CsvTable::parse("a\nx\n", "n.csv");
    CHECK_THROWS_WITH(t.number(0, "a"), "n.csv:2: column 'a' holds 'x', expected a number");
    CHECK_THROWS_WITH(t.column("z"), "n.csv: no column 'z'");
    CHECK_THROWS_AS(CsvTable::parse("", "e.csv"), elaa::InputError);
}

TEST_CASE("suggestions rank containing names and small edit distances first", "[util][suggest]") {
    CHECK(elaa::edit_distance("kitten", "sitting") == 3);
    CHECK(elaa::edit_distance("ResNet", "resnet") == 0);
    const std::vector<std::string> names{"resnet18", "resnet50", "vgg16", "mobilenet_v2", "resnext50_32x4d"};
    const auto near = elaa::closest_names("resnet5", names, 2);
    REQUIRE(near.size() == 2);
    CHECK(near[0] == "resnet50");
    CHECK(elaa::closest_names("mobilnet_v2", names, 1).front() == "mobilenet_v2");
}
