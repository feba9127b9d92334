using System.Globalization;
using System.Text;

namespace Gateway.Benchmarks;

/// <summary>
/// Three realistic JSON answers of about 10 KB each, as an aggregate's parts would get them from their services: a user's
/// profile, their orders and the shipment of the latest one. Compact, UTF-8 with non-ASCII text and escaped quotes.
/// </summary>
internal static class SampleJson
{
    /// <summary>The user 7's profile: addresses, preferences, payment methods and recently viewed products.</summary>
    public static readonly byte[] User = Build(json =>
    {
        json.Append("""{"id":"7","name":"Ada Lovelace","email":"ada@example.com","locale":"de-CH","timeZone":"Europe/Zurich","tier":"gold","createdAt":"2019-03-14T09:26:53Z","verified":true,"avatar":"https://cdn.example.com/avatars/7.jpg","addresses":[""");
        Repeat(json, 4, i => $$"""{"id":"a-{{i}}","label":"{{(i == 0 ? "Home" : "Büro " + i)}}","street":"{{12 + i}} Königstraße","city":"Zürich","postcode":"80{{i:00}}","country":"CH","default":{{(i == 0 ? "true" : "false")}}}""");
        json.Append("""],"preferences":{"newsletter":false,"currency":"CHF","theme":"dark","notifications":{"email":true,"push":true,"sms":false}},"paymentMethods":[""");
        Repeat(json, 3, i => $$"""{"id":"pm-{{i}}","type":"card","brand":"{{(i % 2 == 0 ? "visa" : "mastercard")}}","last4":"42{{i:00}}","expires":"2027-0{{i + 1}}"}""");
        json.Append("""],"recentlyViewed":[""");
        Repeat(json, 64, i => $$"""{"sku":"SKU-{{10042 + i}}","title":"Wanderrucksack „Säntis“ {{20 + i}} L","price":{"amount":{{129.9 + i}},"currency":"CHF"},"viewedAt":"2026-11-{{1 + (i % 28):00}}T10:{{i % 60:00}}:00Z"}""");
        json.Append("]}");
    });

    /// <summary>The user 7's latest orders, newest first; <c>items[0].id</c> is <c>o-7-1</c>.</summary>
    public static readonly byte[] Orders = Build(json =>
    {
        json.Append("""{"user":"7","page":1,"pageSize":33,"total":57,"items":[""");
        Repeat(json, 33, i => $$"""{"id":"o-7-{{i + 1}}","placedAt":"2026-{{11 - (i / 28):00}}-{{28 - (i % 28):00}}T16:05:00Z","status":"{{(i == 0 ? "shipped" : "delivered")}}","total":{"amount":{{84.5 + (i * 3)}},"currency":"CHF"},"shippingAddress":"a-0","lines":[{"sku":"SKU-{{10042 + i}}","title":"Trinkflasche \"Alpen\" 0.75 L","quantity":{{1 + (i % 3)}},"unitPrice":24.9},{"sku":"SKU-{{20042 + i}}","title":"Merino-Socken","quantity":2,"unitPrice":17.5}]}""");
        json.Append("]}");
    });

    /// <summary>The shipment of the order <c>o-7-1</c>: carrier, status, ETA and tracking events.</summary>
    public static readonly byte[] Shipment = Build(json =>
    {
        json.Append("""{"id":"s-9","order":"o-7-1","carrier":"Swiss Post","service":"PostPac Priority","tracking":"99.60.123456.78901234","status":"shipped","eta":"2026-12-03","weightGrams":1840,"dimensionsCm":[40,30,12],"events":[""");
        Repeat(json, 64, i => $$"""{"at":"2026-11-{{29 - (i % 3):00}}T{{i % 24:00}}:14:00Z","code":"{{(i % 2 == 0 ? "SCANNED" : "DEPARTED")}}","location":"Härkingen, CH","description":"The parcel passed the sorting centre \"Härkingen\" (line {{i}})."}""");
        json.Append("]}");
    });

    private static byte[] Build(Action<StringBuilder> write)
    {
        var json = new StringBuilder();
        write(json);
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static void Repeat(StringBuilder json, int count, Func<int, FormattableString> element)
    {
        for (var i = 0; i < count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(element(i).ToString(CultureInfo.InvariantCulture));
        }
    }
}
