using Dapper;
using Npgsql;

namespace MelonChain.Testing;

/// <summary>
/// A fingerprint of every table of a service's database (row count and a hash of its rows), to prove that an
/// attack or a replay wrote nothing. The outbox is left out, and so is the relay's log of what it published from it
/// (<c>outbox_published</c>): the relay empties the one and fills the other on its own.
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, string> Tables)
{
    private static readonly string[] Ignored = ["outbox", "outbox_published", "schemaversions"];

    /// <param name="ignoredColumns">Columns that change without any business effect, as <c>table.column</c>.</param>
    public static async Task<DatabaseSnapshot> TakeAsync(string connectionString, params string[] ignoredColumns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = (await connection.QueryAsync<(string Table, string Column)>(
            """
            select table_name, column_name from information_schema.columns
            where table_schema = 'public' order by table_name, ordinal_position
            """)).Where(c => !Ignored.Contains(c.Table) && !ignoredColumns.Contains($"{c.Table}.{c.Column}"))
            .GroupBy(c => c.Table);
        var tables = new SortedDictionary<string, string>();
        foreach (var table in columns)
        {
            var row = string.Join(", ", table.Select(c => $"\"{c.Column}\""));
            tables[table.Key] = await connection.ExecuteScalarAsync<string>(
                $"select count(*) || ' rows ' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '-') from (select {row} from \"{table.Key}\") r") ?? "";
        }
        return new DatabaseSnapshot(tables);
    }

    /// <summary>The tables whose rows differ, for an assertion message.</summary>
    public IReadOnlyList<string> Differences(DatabaseSnapshot after) =>
        Tables.Keys.Union(after.Tables.Keys)
            .Where(t => Tables.GetValueOrDefault(t) != after.Tables.GetValueOrDefault(t))
            .Select(t => $"{t}: {Tables.GetValueOrDefault(t)} → {after.Tables.GetValueOrDefault(t)}")
            .ToList();
}
