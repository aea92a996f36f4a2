using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Uploads;

public static class Uploader
{
    public static async Task<int> UploadAllAsync(string[] files, CancellationToken ct)
    {
        var uploads = files.Select(f => UploadAsync(f, ct)).ToList();
        await Task.WhenAll(uploads);
        var sent = 0;
        foreach (var u in uploads)
        {
            sent += u.IsCompletedSuccessfully ? 1 : 0;
        }

        return sent;
    }

    public static async Task NotifyAsync(int[] ids)
    {
        await Task.WhenAll(ids.Select(async id => await SendAsync(id)));
        var pings = ids.Select(id => SendAsync(-id));
        await Task.WhenAll(pings);
        await Task.Yield();
    }

    public static async Task<int> SizesAsync(string[] files)
    {
        var sizes = (from f in files select SizeAsync(f)).ToArray();
        var all = await Task.WhenAll(sizes);
        return all.Sum() + (await Task.WhenAny(sizes)).Result;
    }

    private static Task UploadAsync(string file, CancellationToken ct) => Task.Delay(file.Length, ct);

    private static Task SendAsync(int id) => Task.Delay(id);

    private static Task<int> SizeAsync(string file) => Task.FromResult(file.Length);
}
