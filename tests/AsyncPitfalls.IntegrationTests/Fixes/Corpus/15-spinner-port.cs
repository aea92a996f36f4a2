using System;
using System.Threading;
using System.Threading.Tasks;

namespace Terminal;

public static class Spinner
{
    public static async Task SpinAsync(string message, CancellationToken token)
    {
        var i = 0;
        while (!token.IsCancellationRequested)
        {
            Console.Write($"\r{"|/-\\"[i++ % 4]} {message}");
            await Task.Delay(100, token);
        }

        Console.Write("\r" + new string(' ', message.Length + 2) + "\r");
    }
}
