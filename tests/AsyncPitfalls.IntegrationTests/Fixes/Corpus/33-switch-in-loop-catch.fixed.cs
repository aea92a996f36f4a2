using System;
using System.Threading;
using System.Threading.Tasks;

namespace Routing;

public sealed class Dispatcher
{
    public async Task RunAsync(Func<CancellationToken, Task<string>> next, CancellationToken token)
    {
        while (true)
        {
            var command = "";
            try
            {
                command = await next(token);
            }
            catch (Exception ex)
            {
                Console.WriteLine(ex.Message);
            }

            switch (command)
            {
                case "quit":
                    return;
                default:
                    Console.WriteLine(command);
                    break;
            }
        }
    }
}
